import { Agent, fetch, type Response } from 'undici';
import type { WebhookAttemptOutcome } from '../../../db/generated/enums';
import { guardedLookup, literalRefusal, targetPort, WebhookTargetRefused } from './target-policy';

// One HTTP attempt: a POST with a timeout over the whole exchange (connect, answer, the first
// bytes of the body), answered with what the attempt log keeps. Never throws. It connects only to
// an address the target policy lets through (target-policy.ts): a literal address is checked
// before anything is sent, a name by the lookup of the connection itself; a refusal is a failed
// attempt like a refused connection, retried and dead-lettered the same way.

export const EXCERPT_CHARS = 500;
const MAX_ANSWER_BYTES = 4_096;

export interface AttemptResult {
  outcome: WebhookAttemptOutcome;
  statusCode: number | null;
  latencyMs: number;
  /** The error, or the start of a refusing receiver's answer. */
  excerpt: string | null;
}

/** Reads at most MAX_ANSWER_BYTES: a receiver's answer is logged, never buffered whole. */
async function answerStart(response: Response): Promise<string> {
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  while (size < MAX_ANSWER_BYTES) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    size += value.byteLength;
  }
  await reader.cancel().catch(() => undefined);

  return Buffer.concat(chunks).toString('utf8');
}

// undici's own fetch with its own Agent: the dispatcher and the fetch that drives it are one
// version (6.x, the line Node 20 bundles), whatever Node's built-in copy is. One Agent per port,
// because an allow-list entry may name a port and a connection's lookup is told only the name.
const agents = new Map<number, Agent>();

function dispatcherFor(port: number): Agent {
  let agent = agents.get(port);
  if (!agent) {
    agent = new Agent({ connect: { lookup: guardedLookup(port) } });
    agents.set(port, agent);
  }

  return agent;
}

function refusalIn(error: unknown): WebhookTargetRefused | null {
  for (let e = error; e; e = (e as { cause?: unknown }).cause) {
    if (e instanceof WebhookTargetRefused) return e;
  }

  return null;
}

function isTimeout(error: unknown): boolean {
  const name = (error as { name?: string } | null)?.name;

  return name === 'TimeoutError' || name === 'AbortError';
}

export async function postWebhook(
  url: string,
  headers: Record<string, string>,
  body: string,
  timeoutMs: number,
): Promise<AttemptResult> {
  const started = performance.now();
  const signal = AbortSignal.timeout(timeoutMs);
  const elapsed = () => Math.round(performance.now() - started);
  try {
    const target = new URL(url);
    const refusal = literalRefusal(target);
    if (refusal) throw new WebhookTargetRefused(refusal);
    const response = await fetch(target, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'user-agent': 'control-tower-webhooks/1',
        ...headers,
      },
      body,
      signal,
      redirect: 'manual',
      dispatcher: dispatcherFor(targetPort(target)),
    });
    const text = await answerStart(response);
    const ok = response.status >= 200 && response.status < 300;

    return {
      outcome: ok ? 'SUCCESS' : 'HTTP_ERROR',
      statusCode: response.status,
      latencyMs: elapsed(),
      excerpt: ok ? null : `HTTP ${response.status}: ${text}`.slice(0, EXCERPT_CHARS),
    };
  } catch (error) {
    const refused = refusalIn(error);
    if (refused) {
      return {
        outcome: 'NETWORK_ERROR',
        statusCode: null,
        latencyMs: elapsed(),
        excerpt: refused.message.slice(0, EXCERPT_CHARS),
      };
    }
    const timedOut = isTimeout(error) || signal.aborted;
    const cause = (error as { cause?: { message?: string } }).cause?.message;
    const message = timedOut
      ? `no answer within ${timeoutMs} ms`
      : `${(error as Error).message}${cause ? `: ${cause}` : ''}`;

    return {
      outcome: timedOut ? 'TIMEOUT' : 'NETWORK_ERROR',
      statusCode: null,
      latencyMs: elapsed(),
      excerpt: message.slice(0, EXCERPT_CHARS),
    };
  }
}
