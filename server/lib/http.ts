import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';

import { AppError, httpStatusOf } from './errors';
import { logger } from './logger';
import { apiRateLimiter, limitedKeyOf, type RateLimitVerdict } from './rate-limit';

// The REST edge's one place for request ids, JSON answers and the mapping of the domain's
// AppError codes to HTTP (tRPC's twin is server/api/error-map.ts). Every v1 route is wrapped in
// `apiRoute`, so that every answer, failures included, carries `x-request-id` and a JSON body.

export const REQUEST_ID_HEADER = 'x-request-id';
/** Bodies past this are refused unread (413): a full batch of large events fits well inside. */
export const MAX_BODY_BYTES = 10 * 1024 * 1024;

// A caller's id is echoed only when it is short and plain: it ends up in headers and logs.
const CALLER_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

export interface ApiContext {
  requestId: string;
  log: Logger;
}

export function requestIdOf(request: Request): string {
  const given = request.headers.get(REQUEST_ID_HEADER);

  return given && CALLER_REQUEST_ID.test(given) ? given : randomUUID();
}

export function jsonResponse(body: unknown, status: number, requestId: string): Response {
  return Response.json(body, {
    status,
    headers: { [REQUEST_ID_HEADER]: requestId, 'cache-control': 'no-store' },
  });
}

/** `{ error, reason, requestId }` with the code's status; anything unexpected is a logged 500. */
export function errorResponse(error: unknown, context: ApiContext): Response {
  if (error instanceof AppError) {
    const status = httpStatusOf(error.code);
    if (status >= 500) context.log.error({ err: error }, 'request failed');
    const body = { error: error.code, reason: error.message, requestId: context.requestId };

    return jsonResponse(
      error.details === undefined ? body : { ...body, details: error.details },
      status,
      context.requestId,
    );
  }
  context.log.error({ err: error }, 'unexpected error');

  return jsonResponse(
    { error: 'INTERNAL', reason: 'internal error', requestId: context.requestId },
    500,
    context.requestId,
  );
}

/** A route marked deprecated answers with RFC 9745 `Deprecation`, RFC 8594 `Sunset` and a `Link`. */
export interface Deprecation {
  since: Date;
  sunset?: Date;
  /** Where the replacement or the migration notes live. */
  link?: string;
}

export interface ApiRouteOptions {
  deprecation?: Deprecation;
}

/**
 * Wraps a route handler: a request id and a named logger in, the key's rate limit charged,
 * errors mapped out, and the limit's and any deprecation's headers on every answer.
 */
export function apiRoute<R>(
  name: string,
  handler: (request: Request, context: ApiContext, route: R) => Promise<Response>,
  options: ApiRouteOptions = {},
): (request: Request, route: R) => Promise<Response> {
  const log = logger(name);

  return async (request, route) => {
    const requestId = requestIdOf(request);
    const context = { requestId, log: log.child({ requestId }) };
    const limit = await chargeRateLimit(request, context);
    let response: Response;
    if (limit && !limit.allowed) {
      response = errorResponse(rateLimited(limit), context);
    } else {
      try {
        response = await handler(request, context, route);
      } catch (error) {
        response = errorResponse(error, context);
      }
    }

    return withGovernanceHeaders(response, limit, options.deprecation);
  };
}

/** The verdict for the request's key; null without a live key, or when the store fails (open). */
async function chargeRateLimit(
  request: Request,
  context: ApiContext,
): Promise<RateLimitVerdict | null> {
  try {
    const keyId = await limitedKeyOf(request.headers.get('authorization'));

    return keyId ? await apiRateLimiter().consume(keyId) : null;
  } catch (error) {
    context.log.warn({ err: error }, 'rate limit check failed; request let through');

    return null;
  }
}

function rateLimited(limit: RateLimitVerdict): AppError {
  return new AppError(
    'RATE_LIMITED',
    `this API key sent more than ${limit.limit} requests per second; retry after ` +
      `${limit.retryAfterSeconds} s`,
    { limitPerSecond: limit.limit, retryAfterSeconds: limit.retryAfterSeconds },
  );
}

function withGovernanceHeaders(
  response: Response,
  limit: RateLimitVerdict | null,
  deprecation: Deprecation | undefined,
): Response {
  if (!limit && !deprecation) return response;
  // A handler may return a Response whose headers are frozen (one passed through from fetch).
  const answer = new Response(response.body, response);
  const headers = answer.headers;
  if (limit) {
    headers.set('x-ratelimit-limit', String(limit.limit));
    headers.set('x-ratelimit-remaining', String(limit.remaining));
    headers.set('x-ratelimit-reset', String(limit.retryAfterSeconds));
    if (!limit.allowed) headers.set('retry-after', String(limit.retryAfterSeconds));
  }
  if (deprecation) {
    headers.set('deprecation', `@${Math.floor(deprecation.since.getTime() / 1000)}`);
    if (deprecation.sunset) headers.set('sunset', deprecation.sunset.toUTCString());
    if (deprecation.link) headers.append('link', `<${deprecation.link}>; rel="deprecation"`);
  }

  return answer;
}

/** The body as JSON; 413 past `maxBytes`, 400 when it is not JSON at all. */
export async function readJsonBody(request: Request, maxBytes = MAX_BODY_BYTES): Promise<unknown> {
  const text = await readTextBody(request, maxBytes);
  if (text.trim() === '') throw new AppError('BAD_REQUEST', 'the body is empty; send JSON');
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new AppError('BAD_REQUEST', `the body is not valid JSON: ${(error as Error).message}`);
  }
}

/**
 * The body as text; 413 past `maxBytes`, declared or counted. Reads no further than that, so
 * that a chunked body without a length cannot fill the memory.
 */
export async function readTextBody(request: Request, maxBytes = MAX_BODY_BYTES): Promise<string> {
  return (await readBodyBytes(request, maxBytes)).toString('utf8');
}

/** The body's bytes as sent, refused past `maxBytes` without reading the rest. */
export async function readBodyBytes(request: Request, maxBytes = MAX_BODY_BYTES): Promise<Buffer> {
  const declared = Number(request.headers.get('content-length') ?? NaN);
  if (declared > maxBytes) throw tooLarge(maxBytes);
  if (!request.body) return Buffer.alloc(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      throw tooLarge(maxBytes);
    }
    chunks.push(value);
  }

  return Buffer.concat(chunks);
}

function tooLarge(maxBytes: number): AppError {
  return new AppError('PAYLOAD_TOO_LARGE', `the body exceeds ${maxBytes} bytes`);
}
