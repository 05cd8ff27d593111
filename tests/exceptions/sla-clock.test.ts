import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { createPrisma, type Db } from '../../server/db/client';
import { openException } from '../../server/domain/exceptions/open-exception';
import { runEscalation } from '../../server/domain/sla/escalate';
import { loadSiteCalendar } from '../../server/domain/sla/calendar';
import { isDueToday, slaStateOf } from '../../server/domain/sla/sla-state';
import { createReadyShipment, createWorld } from '../fixtures/world';
import { createOrg, dispatchException, timerOf } from './org-fixture';

// Opening an exception starts its SLA clock in the owning site's business calendar: policy
// choice, due times across the night, a holiday and a site west of UTC, the timer's run_at, and
// the owner of an exception that came without a site. HIGH exceptions without a policy take the
// default targets: first response 60, resolution 480 business minutes.
// Dates lie in 2030 so that no other test file draining the shared queue ever finds these
// timers due.

const db = createPrisma(process.env.DATABASE_URL, 10);
afterAll(() => db.$disconnect());

const at = (iso: string) => new Date(iso);

async function open(database: Db, input: Parameters<typeof openException>[1], now: Date) {
  return database.$transaction((tx) => openException(tx, input, { now }));
}

describe('due times in the owning site’s business hours', () => {
  it("does not make an exception opened at 22:00 in Los Angeles due 'today' by the UTC date", async () => {
    const org = await createOrg(db, { timeZone: 'America/Los_Angeles' });
    // Monday 2030-12-09 22:00 PST, which is already Tuesday by the server's UTC date.
    const opened = at('2030-12-10T06:00:00Z');
    const { id } = await open(db, dispatchException(org, 'HIGH'), opened);

    const e = await db.exception.findUniqueOrThrow({ where: { id } });
    expect(e.firstResponseDueAt).toEqual(at('2030-12-10T17:00:00Z')); // Tuesday 09:00 PST
    expect(e.resolutionDueAt).toEqual(at('2030-12-11T00:00:00Z')); // Tuesday 16:00 PST
    // By UTC dates it is due "today" (both 2030-12-10); at the site it is due tomorrow.
    expect(e.firstResponseDueAt!.toISOString().slice(0, 10)).toBe(
      opened.toISOString().slice(0, 10),
    );
    expect(isDueToday(org.timeZone, e.firstResponseDueAt, opened)).toBe(false);
    expect(isDueToday(org.timeZone, e.firstResponseDueAt, at('2030-12-10T16:00:00Z'))).toBe(true);
    expect((await timerOf(db, id))?.dueAt).toEqual(e.firstResponseDueAt);
    expect(e.nextEscalationAt).toEqual(e.firstResponseDueAt);
  });

  it('lands a timer due over a Monday holiday on the next working moment', async () => {
    const org = await createOrg(db, { timeZone: 'America/Los_Angeles', holidays: true });
    // Friday 2030-01-18 16:30 PST; Monday the 19th is Martin Luther King Jr. Day.
    const { id } = await open(db, dispatchException(org, 'HIGH'), at('2030-01-19T00:30:00Z'));

    const e = await db.exception.findUniqueOrThrow({ where: { id } });
    expect(e.firstResponseDueAt).toEqual(at('2030-01-22T16:30:00Z')); // Tuesday 08:30 PST
    expect((await timerOf(db, id))?.dueAt).toEqual(e.firstResponseDueAt);
    // Run on the holiday (a worker that woke early): nothing is due.
    expect(await runEscalation(db, id, at('2030-01-21T20:00:00Z'))).toEqual({
      fired: [],
      nextAt: e.firstResponseDueAt,
    });
    const fired = await runEscalation(db, id, at('2030-01-22T16:30:00Z'));
    expect(fired.fired).toEqual([1]);
    const breaches = await db.slaBreach.findMany({ where: { exceptionId: id } });
    expect(breaches.map((b) => [b.kind, b.dueAt])).toEqual([
      ['FIRST_RESPONSE', e.firstResponseDueAt],
    ]);
  });

  it('never shows an exception created a second ago as breached', async () => {
    const org = await createOrg(db, { alwaysOpen: true, timeZone: 'America/New_York' });
    const opened = new Date(Date.now() - 1000);
    const { id } = await open(db, dispatchException(org, 'CRITICAL'), opened);
    const e = await db.exception.findUniqueOrThrow({ where: { id } });
    const calendar = await loadSiteCalendar(db, org.siteId);

    const view = slaStateOf(calendar.spec, e, new Date());
    expect(view.firstResponse.breached).toBe(false);
    expect(view.resolution.breached).toBe(false);
    expect((await runEscalation(db, id)).fired).toEqual([]);
    expect(await db.slaBreach.count({ where: { exceptionId: id } })).toBe(0);
  });
});

describe('the SLA policy', () => {
  it("takes the customer's own policy before the general one, by type and severity", async () => {
    const mine = await createWorld(db);
    const other = await createWorld(db);
    const [a, b] = [await createReadyShipment(db, mine), await createReadyShipment(db, other)];
    // POD_MISMATCH at LOW is opened by no other test: a general policy here meets nobody else.
    const general = await db.slaPolicy.create({
      data: {
        exceptionType: 'POD_MISMATCH',
        severity: 'LOW',
        firstResponseValue: 30,
        resolutionValue: 3,
        resolutionUnit: 'BUSINESS_DAYS',
      },
    });
    const own = await db.slaPolicy.create({
      data: {
        exceptionType: 'POD_MISMATCH',
        severity: 'LOW',
        customerId: mine.customerId,
        firstResponseValue: 10,
        resolutionValue: 60,
      },
    });
    const opened = at('2030-12-09T16:00:00Z'); // Monday 10:00 in Chicago
    const input = (w: typeof mine, shipmentId: string) => ({
      type: 'POD_MISMATCH' as const,
      severity: 'LOW' as const,
      ownerTeam: 'BILLING' as const,
      siteId: w.siteId,
      shipmentId,
      dedupeKey: `pod:${shipmentId}`,
      title: 'POD does not match',
    });

    const ea = await open(db, input(mine, a.shipmentId), opened);
    const eb = await open(db, input(other, b.shipmentId), opened);

    const rowA = await db.exception.findUniqueOrThrow({ where: { id: ea.id } });
    const rowB = await db.exception.findUniqueOrThrow({ where: { id: eb.id } });
    expect(rowA.slaPolicyId).toBe(own.id);
    expect(rowA.firstResponseDueAt).toEqual(at('2030-12-09T16:10:00Z'));
    expect(rowA.resolutionDueAt).toEqual(at('2030-12-09T17:00:00Z'));
    expect(rowB.slaPolicyId).toBe(general.id);
    expect(rowB.resolutionDueAt).toEqual(at('2030-12-12T16:00:00Z')); // Thursday 10:00
    const audit = await db.auditLog.findFirstOrThrow({
      where: { entityId: ea.id, action: 'exception.opened' },
    });
    expect(audit.data).toMatchObject({ slaPolicyId: own.id });
  });
});

describe('the owner of an exception without a site', () => {
  it('belongs to the admin team of the site of the partner key that sent the event', async () => {
    const org = await createOrg(db);
    const s = randomBytes(4).toString('hex');
    const partner = await db.partner.create({
      data: {
        code: `P-${s}`,
        name: 'WMS',
        kind: 'WMS',
        apiKeys: {
          create: {
            name: 'key',
            prefix: `ct_${s}`,
            secretHash: `hash-${s}`,
            sites: { create: { siteId: org.siteId } },
          },
        },
      },
    });
    const event = await db.shipmentEvent.create({
      data: {
        partnerId: partner.id,
        eventId: `e-${s}`,
        type: 'PICK_COMPLETED',
        source: 'API',
        occurredAt: new Date(),
        payload: { site: `NO-SUCH-SITE-${s}`, shipmentRef: `SH-${s}` },
        payloadHash: s,
        disposition: 'ORPHANED',
      },
    });

    const { id } = await open(
      db,
      {
        type: 'ORPHAN_EVENT',
        severity: 'HIGH',
        ownerTeam: 'ADMIN',
        siteId: null,
        eventId: event.id,
        dedupeKey: `orphan:SH-${s}`,
        title: 'Event waits for its order',
      },
      new Date(),
    );

    const e = await db.exception.findUniqueOrThrow({ where: { id } });
    expect(e.siteId).toBe(org.siteId);
    expect(e.teamId).toBe(org.teams.ADMIN);
    expect(e.firstResponseDueAt).not.toBeNull();
  });
});
