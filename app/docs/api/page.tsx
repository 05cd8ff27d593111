import type { Metadata } from 'next';
import type { ReactNode } from 'react';

import { openApiDocument, type OpenApiDocument } from '@/server/api-docs/build-document';

export const metadata: Metadata = { title: 'Partner API' };
export const dynamic = 'force-dynamic';

// The partner API's reference, rendered from the same OpenAPI document that
// /api/v1/openapi.json serves, so the page and the contract cannot drift. Public, like the
// document: it names no secret and no partner.

type Operation = {
  summary?: string;
  description?: string;
  security?: unknown[];
  parameters?: {
    name: string;
    in: string;
    required?: boolean;
    schema?: unknown;
    description?: string;
  }[];
  requestBody?: { content?: Record<string, { schema?: unknown }> };
  responses?: Record<
    string,
    { description?: string; content?: Record<string, { schema?: unknown }> }
  >;
};

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

const EXAMPLE_EVENT = {
  eventId: 'wms-42-departed',
  type: 'DEPARTED',
  occurredAt: '2026-12-03T14:05:00Z',
  site: 'DAL1',
  shipmentRef: 'SHP-1042',
  payload: {},
};

function anchorOf(method: string, path: string): string {
  return `${method}-${path.replace(/[^a-z0-9]+/gi, '-')}`;
}

function Json({ value }: { value: unknown }) {
  return (
    <pre className="overflow-x-auto rounded bg-slate-100 p-3 text-xs leading-relaxed">
      {JSON.stringify(value, null, 2)}
    </pre>
  );
}

function Section({ id, title, children }: { id?: string; title: string; children: ReactNode }) {
  return (
    <section id={id} className="mt-10 space-y-3">
      <h2 className="text-xl font-semibold">{title}</h2>
      {children}
    </section>
  );
}

function Overview({ document }: { document: OpenApiDocument }) {
  const curl =
    `curl -X POST "$BASE/api/v1/events" -H "Authorization: Bearer $KEY" ` +
    `-H "content-type: application/json" -d '${JSON.stringify(EXAMPLE_EVENT)}'`;

  return (
    <>
      <p className="text-slate-700">{document.info.description}</p>
      <Section title="Authentication">
        <p>
          Send the partner key an admin created as <code>Authorization: Bearer ctk_…</code>. A key
          is scoped to sites, event types and permissions (events, read, edi, epcis): a missing or
          unknown key is 401, a key without the permission is 403. The machine-readable document is
          at{' '}
          <a className="text-blue-700 underline" href="/api/v1/openapi.json">
            /api/v1/openapi.json
          </a>
          .
        </p>
      </Section>
      <Section title="Rate limits and errors">
        <p>
          Answers within the limit carry <code>X-RateLimit-Limit</code> and{' '}
          <code>X-RateLimit-Remaining</code>; past it the answer is 429 with{' '}
          <code>Retry-After</code> in seconds. Every error is JSON with the request id that the{' '}
          <code>x-request-id</code> header also carries:
        </p>
        <Json value={{ error: 'RATE_LIMITED', reason: '…', requestId: '6f1c…' }} />
      </Section>
      <Section title="Example">
        <Json value={EXAMPLE_EVENT} />
        <pre className="overflow-x-auto rounded bg-slate-900 p-3 text-xs text-slate-100">
          {curl}
        </pre>
      </Section>
    </>
  );
}

function Parameters({ parameters }: { parameters: NonNullable<Operation['parameters']> }) {
  return (
    <table className="w-full text-left text-sm">
      <thead>
        <tr className="border-b">
          <th className="py-1">Name</th>
          <th>In</th>
          <th>Schema</th>
          <th>Notes</th>
        </tr>
      </thead>
      <tbody>
        {parameters.map((p) => (
          <tr key={`${p.in}-${p.name}`} className="border-b align-top">
            <td className="py-1 font-mono">
              {p.name}
              {p.required ? ' *' : ''}
            </td>
            <td>{p.in}</td>
            <td className="font-mono text-xs">{JSON.stringify(p.schema)}</td>
            <td>{p.description}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Bodies({ content }: { content?: Record<string, { schema?: unknown }> }) {
  if (!content) return null;

  return Object.entries(content).map(([type, { schema }]) => (
    <div key={type}>
      <p className="text-sm text-slate-600">{type}</p>
      <Json value={schema} />
    </div>
  ));
}

function OperationView({ method, path, op }: { method: string; path: string; op: Operation }) {
  return (
    <article id={anchorOf(method, path)} className="mt-8 space-y-3 border-t pt-6">
      <h3 className="font-mono text-lg">
        <span className="mr-2 rounded bg-slate-800 px-2 py-0.5 text-sm text-white uppercase">
          {method}
        </span>
        {path}
      </h3>
      <p className="font-medium">{op.summary}</p>
      {op.description && <p className="text-slate-700">{op.description}</p>}
      <p className="text-sm">{op.security?.length ? 'Needs a partner key.' : 'Public.'}</p>
      {op.parameters?.length ? <Parameters parameters={op.parameters} /> : null}
      {op.requestBody && (
        <div>
          <h4 className="font-semibold">Request body</h4>
          <Bodies content={op.requestBody.content} />
        </div>
      )}
      <h4 className="font-semibold">Responses</h4>
      {Object.entries(op.responses ?? {}).map(([status, response]) => (
        <details key={status}>
          <summary className="cursor-pointer">
            <span className="font-mono">{status}</span> {response.description}
          </summary>
          <Bodies content={response.content} />
        </details>
      ))}
    </article>
  );
}

function operationsOf(
  document: OpenApiDocument,
): { method: string; path: string; op: Operation }[] {
  return Object.entries(document.paths ?? {}).flatMap(([path, item]) =>
    METHODS.filter((method) => item?.[method]).map((method) => ({
      method,
      path,
      op: item![method] as Operation,
    })),
  );
}

export default function ApiDocsPage() {
  const document = openApiDocument();
  const operations = operationsOf(document);
  const schemas = Object.entries(document.components?.schemas ?? {});

  return (
    <main className="mx-auto max-w-4xl p-8">
      <h1 className="text-3xl font-bold">
        {document.info.title} <span className="text-slate-500">{document.info.version}</span>
      </h1>
      <nav className="mt-4 flex flex-wrap gap-3 text-sm">
        {operations.map(({ method, path }) => (
          <a key={anchorOf(method, path)} href={`#${anchorOf(method, path)}`} className="underline">
            {method.toUpperCase()} {path}
          </a>
        ))}
      </nav>
      <Overview document={document} />
      <Section title="Endpoints">
        {operations.map((each) => (
          <OperationView key={anchorOf(each.method, each.path)} {...each} />
        ))}
      </Section>
      <Section title="Schemas">
        {schemas.map(([name, schema]) => (
          <details key={name} id={`schema-${name}`}>
            <summary className="cursor-pointer font-mono">{name}</summary>
            <Json value={schema} />
          </details>
        ))}
      </Section>
    </main>
  );
}
