import { TRPCError } from '@trpc/server';
import { AppError, type ErrorCode } from '../lib/errors';

type TrpcCode = TRPCError['code'];

// The one place where the domain's error codes become tRPC's.
const TRPC_CODE_OF: Record<ErrorCode, TrpcCode> = {
  BAD_REQUEST: 'BAD_REQUEST',
  UNAUTHORIZED: 'UNAUTHORIZED',
  FORBIDDEN: 'FORBIDDEN',
  NOT_FOUND: 'NOT_FOUND',
  CONFLICT: 'CONFLICT',
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  UNPROCESSABLE: 'UNPROCESSABLE_CONTENT',
  RATE_LIMITED: 'TOO_MANY_REQUESTS',
  UNAVAILABLE: 'SERVICE_UNAVAILABLE',
  INTERNAL: 'INTERNAL_SERVER_ERROR',
};

export function trpcErrorFromAppError(error: AppError): TRPCError {
  return new TRPCError({ code: TRPC_CODE_OF[error.code], message: error.message, cause: error });
}

/** The domain code behind a tRPC error, when a service raised it. */
export function appErrorCodeOf(error: TRPCError): ErrorCode | null {
  return error.cause instanceof AppError ? error.cause.code : null;
}
