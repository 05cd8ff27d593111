import type { WebhookAttemptOutcome } from '../../../db/generated/enums';

// One HTTP attempt: a POST with a timeout over the whole exchange (connect, answer, the first
// bytes of the body), answered with what the attempt log keeps. Never throws.

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
    const response = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'user-agent': 'control-tower-webhooks/1',
        ...headers,
      },
      body,
      signal,
      redirect: 'manual',
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
