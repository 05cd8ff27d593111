import { randomBytes } from 'node:crypto';
import type { Db } from '../../db/client';
import type { Role } from '../../db/generated/enums';

// Rows for integration tests on the run's shared database, under names unique to the caller.

export function uniqueTag(): string {
  return randomBytes(4).toString('hex');
}

export async function createTestSite(db: Db, tag: string) {
  const calendar = await db.businessCalendar.create({
    data: { code: `CAL-${tag}`, name: 'Test', timeZone: 'UTC' },
  });
  const site = await db.site.create({
    data: {
      code: `S-${tag}`,
      name: 'Test site',
      timeZone: 'UTC',
      calendarId: calendar.id,
      city: 'X',
      country: 'US',
    },
  });
  const team = await db.team.create({
    data: { siteId: site.id, kind: 'DISPATCH', name: 'Dispatch' },
  });

  return { site, team };
}

export async function createTestUser(
  db: Db,
  tag: string,
  role: Role,
  extra: { allSites?: boolean } = {},
) {
  return db.user.create({
    data: {
      email: `${role.toLowerCase()}-${tag}@test.example`,
      name: `${role} ${tag}`,
      role,
      passwordHash: 'x',
      ...extra,
    },
  });
}
