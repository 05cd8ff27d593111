import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';

import { createCaller } from '../../server/api/root';
import type { Context } from '../../server/api/trpc';
import { prisma } from '../../server/db/client';
import type { Role } from '../../server/db/generated/enums';
import { uploadCsv } from '../../server/domain/imports/upload';
import type { SessionUser } from '../../server/domain/users/types';
import { logger } from '../../server/lib/logger';
import { createImportWorld, type ImportWorld } from './import-world';

// The imports procedures: admins see every upload; a warehouse supervisor sees and confirms only
// their own imports, and their rows for sites outside their own are rejected; other roles none.

let w: ImportWorld;

async function signedIn(role: Role, allSites = false): Promise<SessionUser> {
  const row = await prisma.user.create({
    data: { email: `${randomUUID()}@example.test`, name: role, passwordHash: 'x', role, allSites },
  });
  await prisma.userSite.create({ data: { userId: row.id, siteId: w.siteId } });

  return { ...row, siteIds: [w.siteId] };
}

function callerAs(user: SessionUser) {
  const context: Context = { db: prisma, user, requestId: randomUUID(), log: logger('test') };

  return createCaller(context);
}

async function uploadAs(user: SessionUser, body: string) {
  return uploadCsv(
    prisma,
    { userId: user.id, requestId: 'test' },
    { allSites: user.allSites, siteIds: user.siteIds },
    { partnerId: w.partnerId, kind: 'BIN_LOCATIONS', fileName: 'bins.csv', body },
  );
}

beforeAll(async () => {
  w = await createImportWorld(prisma, 1);
});

afterAll(async () => {
  await prisma.$disconnect();
});

it('keeps a supervisor to their own imports and sites', async () => {
  const admin = await signedIn('ADMIN', true);
  const supervisor = await signedIn('WAREHOUSE_SUPERVISOR');
  const other = await signedIn('WAREHOUSE_SUPERVISOR');
  const body = `site,location\n${w.site},S-1\n${w.otherSite},S-2\n`;
  const own = await uploadAs(supervisor, body);
  const admins = await uploadAs(admin, body);

  expect(own.preview.rows.map((r) => r.errors.map((e) => e.reason))).toEqual([
    [],
    [`site ${w.otherSite} is not one of your sites`],
  ]);
  expect(admins.preview.rows.every((r) => r.errors.length === 0)).toBe(true);

  const mine = await callerAs(supervisor).imports.uploads();
  expect(mine.map((u) => u.importRun?.id)).toEqual([own.runId]);
  const all = (await callerAs(admin).imports.uploads()).map((u) => u.importRun?.id);
  expect(all).toEqual(expect.arrayContaining([own.runId, admins.runId]));

  await expect(callerAs(other).imports.get({ runId: own.runId })).rejects.toThrow('no such import');
  await expect(callerAs(other).imports.confirm({ runId: own.runId })).rejects.toThrow(
    'no such import',
  );
  await callerAs(supervisor).imports.confirm({ runId: own.runId });
  expect(await callerAs(admin).imports.get({ runId: own.runId })).toMatchObject({
    status: 'QUEUED',
  });
  await expect(callerAs(supervisor).imports.confirm({ runId: own.runId })).rejects.toThrow(
    'already confirmed',
  );
});

it('refuses other roles', async () => {
  const dispatcher = await signedIn('DISPATCHER');

  await expect(callerAs(dispatcher).imports.uploads()).rejects.toThrow('Your role may not do this');
});
