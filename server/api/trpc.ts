import { randomUUID } from 'node:crypto';
import { initTRPC, TRPCError } from '@trpc/server';
import type { Logger } from 'pino';
import { z, ZodError } from 'zod';
import { prisma, type Db } from '../db/client';
import type { Role } from '../db/generated/enums';
import { getSessionUser } from '../auth/session';
import type { SessionUser } from '../domain/users/types';
import { AppError } from '../lib/errors';
import { logger } from '../lib/logger';
import { appErrorCodeOf, trpcErrorFromAppError } from './error-map';
import { transformer } from './transformer';

export interface Context {
  db: Db;
  /** Read from the database for this request: null when signed out, deactivated or removed. */
  user: SessionUser | null;
  requestId: string;
  log: Logger;
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,100}$/;

export async function createTRPCContext(opts: { headers: Headers }): Promise<Context> {
  const offered = opts.headers.get('x-request-id');
  const requestId = offered && REQUEST_ID.test(offered) ? offered : randomUUID();
  const user = await getSessionUser();

  return { db: prisma, user, requestId, log: logger('trpc', { requestId, userId: user?.id }) };
}

const t = initTRPC.context<Context>().create({
  transformer,
  errorFormatter({ shape, error }) {
    const appCode = appErrorCodeOf(error);
    // Unexpected failures keep their detail in the log, not in the answer.
    const hidden = error.code === 'INTERNAL_SERVER_ERROR' && appCode === null;
    const inputIssues = error.cause instanceof ZodError ? z.flattenError(error.cause) : null;

    return {
      ...shape,
      message: hidden ? 'Internal error' : shape.message,
      data: { ...shape.data, appCode, inputIssues },
    };
  },
});

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;

// Services throw AppError; here, once for every procedure, it becomes the matching TRPCError (so
// both the HTTP handler and the server-side caller see the right code), and faults are logged.
const domainErrors = t.middleware(async ({ ctx, path, next }) => {
  const result = await next();
  if (result.ok) return result;

  if (result.error.cause instanceof AppError) throw trpcErrorFromAppError(result.error.cause);
  if (result.error.code === 'INTERNAL_SERVER_ERROR') {
    ctx.log.error({ err: result.error.cause ?? result.error, path }, 'procedure failed');
  }

  return result;
});

export const publicProcedure = t.procedure.use(domainErrors);

/** Signed in, and the account still exists and is active (the context re-read it). */
export const protectedProcedure = publicProcedure.use(({ ctx, next }) => {
  if (!ctx.user) throw new TRPCError({ code: 'UNAUTHORIZED', message: 'Sign in first' });

  return next({ ctx: { user: ctx.user, log: ctx.log.child({ role: ctx.user.role }) } });
});

/** Signed in with one of these roles. */
export function roleProcedure(...roles: Role[]) {
  return protectedProcedure.use(({ ctx, next }) => {
    if (!roles.includes(ctx.user.role)) {
      throw new TRPCError({ code: 'FORBIDDEN', message: 'Your role may not do this' });
    }

    return next();
  });
}

/**
 * For privileged writes: as roleProcedure, and the role and active flag are read from the
 * database once more right before the write, so a role taken away mid-request no longer counts.
 */
export function privilegedProcedure(...roles: Role[]) {
  return roleProcedure(...roles).use(async ({ ctx, next }) => {
    const current = await ctx.db.user.findUnique({
      where: { id: ctx.user.id },
      select: { role: true, active: true },
    });
    if (!current?.active || !roles.includes(current.role)) {
      throw new TRPCError({ code: 'FORBIDDEN', message: 'Your role may not do this' });
    }

    return next({ ctx: { user: { ...ctx.user, role: current.role } } });
  });
}

export const adminProcedure = roleProcedure('ADMIN');
export const adminWriteProcedure = privilegedProcedure('ADMIN');
