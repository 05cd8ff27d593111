import { createHmac, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  ALLOWED_HOSTS_ENV,
  allowListWith,
} from '../../server/domain/integration/webhooks/target-policy';

// A partner's webhook endpoint on a random local port, written from the Standard Webhooks
// specification rather than with the product's own signing code: it recomputes the signature of
// `<webhook-id>.<webhook-timestamp>.<body>` with its copy of the secret, refuses what does not
// match (401), and applies each webhook-id once, counting repeats, as a careful receiver does.

export type Mode = { kind: 'ok' } | { kind: 'fail'; status: number } | { kind: 'slow'; ms: number };

export interface Received {
  id: string;
  timestamp: string;
  signature: string;
  body: string;
  signatureValid: boolean;
}

export interface TestReceiver {
  url: string;
  /** The secrets it accepts; set once the subscription is created. */
  secrets: string[];
  mode: Mode;
  received: Received[];
  /** webhook-id -> body, the first time each id was applied. */
  applied: Map<string, string>;
  repeats: Map<string, number>;
  close(): Promise<void>;
}

function expectedSignature(secret: string, id: string, timestamp: string, body: string): Buffer {
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');

  return createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest();
}

function signatureValid(r: Omit<Received, 'signatureValid'>, secrets: string[]): boolean {
  const offered = r.signature
    .split(' ')
    .filter((s) => s.startsWith('v1,'))
    .map((s) => Buffer.from(s.slice(3), 'base64'));

  return secrets.some((secret) => {
    const expected = expectedSignature(secret, r.id, r.timestamp, r.body);

    return offered.some((o) => o.length === expected.length && timingSafeEqual(o, expected));
  });
}

/**
 * Lets this process's webhook attempts through to exactly this receiver (host and port): the
 * target policy refuses loopback otherwise. It stays allowed after the receiver closes, so that a
 * closed receiver is met with a refused connection, not with the policy.
 */
export function allowWebhookReceiver(url: string): void {
  process.env[ALLOWED_HOSTS_ENV] = allowListWith(process.env[ALLOWED_HOSTS_ENV], url);
}

/** On a random port unless told one (the e2e run allows a fixed one in its app and worker). */
export async function startReceiver(options: { port?: number } = {}): Promise<TestReceiver> {
  const state: Omit<TestReceiver, 'url' | 'close'> = {
    secrets: [],
    mode: { kind: 'ok' },
    received: [],
    applied: new Map(),
    repeats: new Map(),
  };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const base = {
        id: String(req.headers['webhook-id'] ?? ''),
        timestamp: String(req.headers['webhook-timestamp'] ?? ''),
        signature: String(req.headers['webhook-signature'] ?? ''),
        body: Buffer.concat(chunks).toString('utf8'),
      };
      const valid = signatureValid(base, state.secrets);
      state.received.push({ ...base, signatureValid: valid });
      const mode = state.mode;
      const answer = () => {
        if (!valid) return void res.writeHead(401).end('bad signature');
        if (mode.kind === 'fail') return void res.writeHead(mode.status).end('receiver is down');
        if (state.applied.has(base.id)) {
          state.repeats.set(base.id, (state.repeats.get(base.id) ?? 0) + 1);
        } else {
          state.applied.set(base.id, base.body);
        }
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
      };
      if (mode.kind === 'slow') setTimeout(answer, mode.ms);
      else answer();
    });
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}/hooks`;
  allowWebhookReceiver(url);

  return Object.assign(state, {
    url,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  });
}
