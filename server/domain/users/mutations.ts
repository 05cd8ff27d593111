import type { Db, Tx } from '../../db/client';
import { hashPassword } from '../../auth/password';
import { AppError } from '../../lib/errors';
import { writeAudit } from '../audit/write-audit';
import { generateInitialPassword } from './initial-password';
import { assertNotSelfLockout, assertTeamWithinSites } from './permissions';
import type { CreateUserInput, SetUserActiveInput, UpdateUserInput } from './schema';
import type { UserActor } from './types';

const ENTITY = 'User';

function auditActor(actor: UserActor) {
  return { actor: { type: 'USER' as const, id: actor.userId }, requestId: actor.requestId };
}

async function checkAssignments(
  tx: Tx,
  next: { teamId: string | null; allSites: boolean; siteIds: string[] },
): Promise<void> {
  const found = await tx.site.count({ where: { id: { in: next.siteIds } } });
  if (found !== next.siteIds.length) throw new AppError('UNPROCESSABLE', 'Unknown site');

  const team = next.teamId
    ? await tx.team.findUnique({ where: { id: next.teamId }, select: { siteId: true } })
    : null;
  if (next.teamId && !team) throw new AppError('UNPROCESSABLE', 'Unknown team');

  assertTeamWithinSites(team, next.allSites, next.siteIds);
}

export async function createUser(db: Db, actor: UserActor, input: CreateUserInput) {
  // Hashed before the transaction: argon2id takes tens of milliseconds and holds no lock.
  const initialPassword = generateInitialPassword();
  const passwordHash = await hashPassword(initialPassword);

  const user = await db.$transaction(async (tx) => {
    const taken = await tx.user.findUnique({ where: { email: input.email }, select: { id: true } });
    if (taken) throw new AppError('CONFLICT', 'A user with this e-mail address exists');
    await checkAssignments(tx, input);

    const { siteIds, ...fields } = input;
    const created = await tx.user.create({
      data: { ...fields, passwordHash, sites: { create: siteIds.map((siteId) => ({ siteId })) } },
      select: { id: true, email: true, name: true },
    });
    await writeAudit(tx, {
      entityType: ENTITY,
      entityId: created.id,
      action: 'user.created',
      ...auditActor(actor),
      data: input,
    });

    return created;
  });

  return { user, initialPassword };
}

async function loadForChange(tx: Tx, id: string) {
  const user = await tx.user.findUnique({
    where: { id },
    select: {
      name: true,
      role: true,
      level: true,
      teamId: true,
      allSites: true,
      active: true,
      sites: { select: { siteId: true } },
    },
  });
  if (!user) throw new AppError('NOT_FOUND', 'No such user');
  const { sites, ...rest } = user;

  return { ...rest, siteIds: sites.map((s) => s.siteId).sort() };
}

type Editable = Omit<UpdateUserInput, 'id'>;

function changedFields(before: Required<Editable>, input: Editable): Editable {
  const changes: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(input)) {
    const old = before[key as keyof Editable];
    const same = Array.isArray(value)
      ? JSON.stringify([...value].sort()) === JSON.stringify(old)
      : value === old;
    if (value !== undefined && !same) changes[key] = value;
  }

  return changes as Editable;
}

export async function updateUser(db: Db, actor: UserActor, input: UpdateUserInput) {
  const { id, ...requested } = input;

  return db.$transaction(async (tx) => {
    const before = await loadForChange(tx, id);
    const changes = changedFields(before, requested);
    if (Object.keys(changes).length === 0) return { id, changed: false };

    assertNotSelfLockout(actor.userId, id, { role: changes.role });
    await checkAssignments(tx, { ...before, ...changes } as Required<Editable>);

    const { siteIds, ...fields } = changes;
    await tx.user.update({ where: { id }, data: fields });
    if (siteIds) {
      await tx.userSite.deleteMany({ where: { userId: id } });
      await tx.userSite.createMany({ data: siteIds.map((siteId) => ({ userId: id, siteId })) });
    }
    const was = Object.fromEntries(
      Object.keys(changes).map((k) => [k, before[k as keyof Editable]]),
    );
    await writeAudit(tx, {
      entityType: ENTITY,
      entityId: id,
      action: 'user.updated',
      ...auditActor(actor),
      data: { before: was, after: changes },
    });

    return { id, changed: true };
  });
}

export async function setUserActive(db: Db, actor: UserActor, input: SetUserActiveInput) {
  assertNotSelfLockout(actor.userId, input.id, { active: input.active });

  return db.$transaction(async (tx) => {
    const before = await loadForChange(tx, input.id);
    if (before.active === input.active) return { id: input.id, changed: false };

    await tx.user.update({ where: { id: input.id }, data: { active: input.active } });
    await writeAudit(tx, {
      entityType: ENTITY,
      entityId: input.id,
      action: input.active ? 'user.reactivated' : 'user.deactivated',
      ...auditActor(actor),
    });

    return { id: input.id, changed: true };
  });
}
