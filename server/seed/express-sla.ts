import type { Prisma } from '../db/generated/client';
import { ExceptionType, Severity } from '../db/generated/enums';
import type { Tx } from '../db/client';
import type { MasterData } from './types';

// The customers served by the round-the-clock cross-dock buy an express service: every exception
// on their shipments is timed in minutes, so that its escalation ladder climbs while one watches
// (`npm run simulate` against the demo world): the assignee at 5 minutes if nobody acknowledged
// it, the team's lead at 15, the site manager at 20 and an executive at 25. On the cross-dock
// these are wall-clock minutes; at the customers' other sites, business minutes.

export const EXPRESS_SLA = {
  firstResponseMinutes: 5,
  resolutionMinutes: 15,
  escalationStepMinutes: 5,
} as const;

/** The customers with a ship-to location served by a cross-dock. */
export function expressCustomers(master: Pick<MasterData, 'customers'>): string[] {
  return master.customers
    .filter((c) => c.locations.some((l) => l.site.kind === 'CROSS_DOCK'))
    .map((c) => c.id);
}

export async function seedExpressSla(tx: Tx, master: MasterData): Promise<number> {
  const rows: Prisma.SlaPolicyCreateManyInput[] = expressCustomers(master).flatMap((customerId) =>
    Object.values(ExceptionType).flatMap((exceptionType) =>
      Object.values(Severity).map((severity) => ({
        exceptionType,
        severity,
        customerId,
        firstResponseValue: EXPRESS_SLA.firstResponseMinutes,
        firstResponseUnit: 'BUSINESS_MINUTES' as const,
        resolutionValue: EXPRESS_SLA.resolutionMinutes,
        resolutionUnit: 'BUSINESS_MINUTES' as const,
        escalationStepMinutes: EXPRESS_SLA.escalationStepMinutes,
        createdAt: master.now,
      })),
    ),
  );
  const { count } = await tx.slaPolicy.createMany({ data: rows });

  return count;
}
