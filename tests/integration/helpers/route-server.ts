import http from 'node:http';
import type { AddressInfo } from 'node:net';

// The product's route handlers behind a real HTTP server on a free loopback port: requests
// arrive as bytes on a socket and answers leave the same way, as they do under `next start`,
// without building the app. Each route is the handler the app exports for that path.

type Handler = (request: Request, context: undefined) => Promise<Response>;

export interface RouteServer {
  url: string;
  close: () => Promise<void>;
}

export async function serveRoutes(routes: Record<string, Handler>): Promise<RouteServer> {
  const server = http.createServer((req, res) => {
    void answer(routes, req, res).catch((error: unknown) => {
      res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

async function answer(
  routes: Record<string, Handler>,
  req: http.IncomingMessage,
  res: http.ServerResponse,
): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  const handler = routes[`${req.method} ${url.pathname}`];
  if (!handler) {
    res.writeHead(404).end();
    return;
  }
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (typeof value === 'string') headers.set(name, value);
  }
  const body = chunks.length ? Buffer.concat(chunks) : undefined;
  const response = await handler(
    new Request(url, { method: req.method, headers, ...(body ? { body } : {}) }),
    undefined,
  );
  res.writeHead(response.status, Object.fromEntries(response.headers.entries()));
  res.end(Buffer.from(await response.arrayBuffer()));
}
