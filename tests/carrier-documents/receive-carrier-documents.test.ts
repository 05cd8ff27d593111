import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { randomUUID } from 'node:crypto';

import { createCaller } from '../../server/api/root';
import { createPrisma, type Db } from '../../server/db/client';
import type { Role } from '../../server/db/generated/enums';
import { logger } from '../../server/lib/logger';
import { Decimal } from '../../server/lib/money';
import { listCarrierInvoices } from '../../server/domain/billing/carrier-invoices/reads';
import { authenticatePartner } from '../../server/domain/integration/authenticate-partner';
import { receiveX12, type InterchangeAnswer } from '../../server/domain/integration/receive-x12';
import { createApiKey, createPartner, createSite, uniqueCode } from '../fixtures/partner';
import { createCustomer, createShipment } from '../intake/shipment-fixture';
import { fixture } from '../integration/helpers/samples';
import { createMigratedDatabase, dropDatabase } from '../setup/test-database';

// X12 210 and 990 through the EDI intake on a database of the file's own (invoice numbers are
// unique per carrier across the whole database): invoices with their Decimal charge lines linked
// to their shipment, duplicates and conflicts by carrier and number, unmatched invoices kept
// with their reason, tender answers linked to the shipment they name.

let url: string;
let db: Db;
let authorization: string;
let shipmentId: string;
let siteId: string;
let accepted: { id: string; ref: string };

const RAIL_210 = fixture('x12/own-rail-210.edi');
const UPS_210 = fixture('x12/omniparser-ups-210.edi');
const OWN_990 = fixture('x12/own-990.edi');

beforeAll(async () => {
  url = await createMigratedDatabase(process.env.CT_ADMIN_DATABASE_URL!, 'ct_carrier_docs');
  db = createPrisma(url, 4);
  const site = await createSite(db);
  siteId = site.id;
  const partner = await createPartner(db);
  const key = await createApiKey(db, { partnerId: partner.id, siteIds: [site.id] });
  await db.apiKey.update({ where: { id: key.id }, data: { canSendEdi: true } });
  authorization = key.authorization;
  await db.carrier.create({
    data: { code: uniqueCode('CAR'), scac: 'PRRX', name: 'Prairie Rail' },
  });
  const customer = await createCustomer(db);
  // The rail invoice's B303 and N9*BM name "88417": our shipment ref.
  const shipment = await createShipment(db, { siteId: site.id, customer });
  await db.shipment.update({ where: { id: shipment.id }, data: { ref: '88417' } });
  shipmentId = shipment.id;
  const tendered = await createShipment(db, { siteId: site.id, customer });
  accepted = await db.shipment.update({
    where: { id: tendered.id },
    data: { ref: 'SHP-20260115-7' },
    select: { id: true, ref: true },
  });
});

afterAll(async () => {
  await db.$disconnect();
  await dropDatabase(process.env.CT_ADMIN_DATABASE_URL!, url);
});

async function receive(raw: string): Promise<InterchangeAnswer> {
  const principal = await authenticatePartner(db, authorization);
  const answer = await receiveX12(db, principal, raw, { requestId: 'req-1', now: new Date() });
  const [interchange] = answer.interchanges;
  if (!interchange || interchange.duplicate) throw new Error('expected a new interchange');

  return interchange;
}

/** The same interchange under a new ISA13/IEA02, so that it is not a duplicate interchange. */
function resent(raw: string, from: string, to: string): string {
  return raw.replaceAll(from, to);
}

describe('210 freight invoices', () => {
  it('stores the invoice with its charge lines, linked to its shipment and its document', async () => {
    const answer = await receive(RAIL_210);
    expect(answer.carrierDocuments.invoices).toEqual([
      expect.objectContaining({
        invoiceNumber: '71400521',
        carrierScac: 'PRRX',
        outcome: 'stored',
        shipmentRef: '88417',
        unmatchedReason: null,
      }),
    ]);
    const stored = await db.carrierInvoice.findUniqueOrThrow({
      where: { id: answer.carrierDocuments.invoices[0]!.id },
      include: { charges: { orderBy: { position: 'asc' } }, carrier: true },
    });
    expect(stored).toMatchObject({
      shipmentId,
      documentId: answer.documentId,
      currency: 'CAD',
      match: 'MATCHED',
      carrier: { scac: 'PRRX' },
    });
    expect(stored.invoiceDate?.toISOString()).toBe('2026-01-12T00:00:00.000Z');
    expect(stored.total.toString()).toBe('1821.75');
    expect(stored.charges.map((c) => [c.code, c.amount.toString(), c.currency])).toEqual([
      ['400', '1520', 'CAD'],
      ['FUE', '215', 'CAD'],
      ['GST', '86.75', 'CAD'],
    ]);
    const audit = await db.auditLog.findMany({ where: { entityId: stored.id } });
    expect(audit.map((a) => a.action)).toEqual(['carrier_invoice.received']);
  });

  it('answers a resent invoice as a duplicate, and a changed one as a conflict, storing neither', async () => {
    const again = await receive(resent(RAIL_210, '000000731', '000000732'));
    expect(again.carrierDocuments.invoices[0]).toMatchObject({
      outcome: 'duplicate',
      shipmentRef: '88417',
    });
    const changed = resent(RAIL_210, '000000731', '000000733').replace('152000~', '152500~');
    const conflict = await receive(changed);
    expect(conflict.carrierDocuments.invoices[0]).toMatchObject({ outcome: 'conflict' });
    expect(conflict.carrierDocuments.invoices[0]?.detail).toContain('differs and was not stored');
    expect(await db.carrierInvoice.count({ where: { invoiceNumber: '71400521' } })).toBe(1);
  });

  it('keeps invoices whose references match no shipment, unlinked with the reason', async () => {
    const answer = await receive(UPS_210);
    const taken = answer.envelope.sets.filter((set) => set.taken).map((set) => set.controlNumber);
    // Only the sets the envelope took are stored: nothing of a rejected set is half-applied.
    expect(answer.carrierDocuments.invoices.map((i) => i.set)).toEqual(taken);
    expect(answer.envelope.sets.some((set) => !set.taken)).toBe(true);
    const invoice = answer.carrierDocuments.invoices.find(
      (i) => i.invoiceNumber === '0000001502WW308',
    );
    expect(invoice).toMatchObject({ outcome: 'stored', shipmentRef: null });
    expect(invoice?.unmatchedReason).toMatch(
      /^no shipment, tracking or order ref matches "1Z1502WW1264639290", /,
    );
    const stored = await db.carrierInvoice.findUniqueOrThrow({
      where: { id: invoice!.id },
      include: { charges: { orderBy: { position: 'asc' } } },
    });
    expect(stored).toMatchObject({ match: 'UNMATCHED', shipmentId: null, carrierId: null });
    expect(stored.total.toString()).toBe('94.15');
    // N2 amounts, credits included: "-302" is -3.02. The lines add up to the L305 total.
    const amounts = stored.charges.map((c) => c.amount.toString());
    expect(amounts.slice(0, 3)).toEqual(['8', '152.16', '-3.02']);
    expect(amounts.reduce((sum, a) => sum.plus(a), new Decimal(0)).toFixed(2)).toBe('94.15');

    const unmatched = await listCarrierInvoices(db, { match: 'UNMATCHED', limit: 200 });
    expect(unmatched.items.find((i) => i.id === invoice!.id)?.unmatchedReason).toBe(
      invoice!.unmatchedReason,
    );
    expect(unmatched.items.every((i) => i.match === 'UNMATCHED')).toBe(true);
  });

  it('filters the list by carrier, shipment and text', async () => {
    const byCarrier = await listCarrierInvoices(db, { carrierScac: 'PRRX', limit: 50 });
    expect(byCarrier.items.map((i) => i.invoiceNumber)).toEqual(['71400521']);
    expect(byCarrier.items[0]).toMatchObject({ total: '1821.75', chargeCount: 3 });
    const bySearch = await listCarrierInvoices(db, { search: '0000001502', limit: 50 });
    expect(bySearch.items.map((i) => i.invoiceNumber)).toEqual(['0000001502WW308']);
    const byShipment = await listCarrierInvoices(db, { shipmentId, limit: 50 });
    expect(byShipment.items).toHaveLength(1);
    const first = await listCarrierInvoices(db, { carrierScac: 'upsn', limit: 2 });
    const next = await listCarrierInvoices(db, {
      carrierScac: 'UPSN',
      limit: 2,
      cursor: first.nextCursor!,
    });
    expect(first.items).toHaveLength(2);
    expect(next.items.map((i) => i.id)).not.toContain(first.items[0]!.id);
  });

  it('removes the document and stores none of its invoices when a carrier document fails', async () => {
    const before = await db.carrierInvoice.count();
    const raw = resent(RAIL_210, '000000731', '000000734').replace('71400521', '71400599');
    await db.$executeRawUnsafe(
      `CREATE FUNCTION t8_fail() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'boom'; END $$`,
    );
    await db.$executeRawUnsafe(
      `CREATE TRIGGER t8_fail BEFORE INSERT ON tender_responses FOR EACH ROW EXECUTE FUNCTION t8_fail()`,
    );
    try {
      const mixed = raw.replace(
        'GE*1*731~',
        'GE*1*731~GS*GF*PRRX*CT TOWER*20260112*2305*732*X*004010~ST*990*0001~B1*PRRX*88417*20260112*A~SE*3*0001~GE*1*732~',
      );
      const principal = await authenticatePartner(db, authorization);
      await expect(
        receiveX12(db, principal, mixed.replace('IEA*1*', 'IEA*2*'), {
          requestId: 'req-2',
          now: new Date(),
        }),
      ).rejects.toThrow();
    } finally {
      await db.$executeRawUnsafe(`DROP TRIGGER t8_fail ON tender_responses`);
      await db.$executeRawUnsafe(`DROP FUNCTION t8_fail()`);
    }
    expect(await db.carrierInvoice.count()).toBe(before);
    expect(
      await db.integrationDocument.count({ where: { controlRef: { endsWith: ':734' } } }),
    ).toBe(0);
  });
});

describe('990 responses to our load tenders', () => {
  it('stores each answer, linked to the shipment it names when we have it', async () => {
    const answer = await receive(OWN_990);
    expect(answer.carrierDocuments.tenderResponses).toEqual([
      expect.objectContaining({
        shipmentRef: 'SHP-20260115-7',
        decision: 'ACCEPTED',
        linkedShipmentRef: 'SHP-20260115-7',
      }),
      expect.objectContaining({
        shipmentRef: 'SHP-20260115-9',
        decision: 'DECLINED',
        linkedShipmentRef: null,
      }),
    ]);
    const rows = await db.tenderResponse.findMany({
      where: { documentId: answer.documentId },
      orderBy: { shipmentRef: 'asc' },
    });
    expect(rows.map((r) => [r.shipmentId, r.decision, r.reason])).toEqual([
      [accepted.id, 'ACCEPTED', null],
      [null, 'DECLINED', 'NO EQUIPMENT AVAILABLE 01/15'],
    ]);
    expect(rows[0]?.respondedOn?.toISOString()).toBe('2026-01-14T00:00:00.000Z');
  });
});

describe('the carrier invoices procedures', () => {
  async function callerAs(role: Role, siteIds: string[]) {
    const row = await db.user.create({
      data: { email: `${randomUUID()}@example.test`, name: role, passwordHash: 'x', role },
    });
    const user = { ...row, allSites: false, siteIds };

    return createCaller({ db, user, requestId: randomUUID(), log: logger('test') });
  }

  it('shows billing every unmatched invoice, and matched ones only at its own sites', async () => {
    const elsewhere = await createSite(db);
    const away = await callerAs('BILLING_ANALYST', [elsewhere.id]);
    const home = await callerAs('BILLING_ANALYST', [siteId]);
    const seenAway = await away.carrierInvoices.list({ limit: 200 });
    expect(seenAway.items.every((i) => i.match === 'UNMATCHED')).toBe(true);
    expect(seenAway.items.length).toBeGreaterThan(0);
    const seenHome = await home.carrierInvoices.list({ match: 'MATCHED', limit: 200 });
    expect(seenHome.items.map((i) => i.invoiceNumber)).toEqual(['71400521']);

    const dispatcher = await callerAs('DISPATCHER', [siteId]);
    await expect(dispatcher.carrierInvoices.list({ limit: 10 })).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
  });

  it("gives the shipment page its invoices and tender answers, within the user's sites", async () => {
    const home = await callerAs('DISPATCHER', [siteId]);
    const rail = await home.carrierInvoices.ofShipment({ ref: '88417' });
    expect(rail.invoices.map((i) => [i.invoiceNumber, i.total, i.charges.length])).toEqual([
      ['71400521', '1821.75', 3],
    ]);
    const tendered = await home.carrierInvoices.ofShipment({ ref: accepted.ref });
    expect(tendered.tenderResponses.map((r) => r.decision)).toEqual(['ACCEPTED']);

    const away = await callerAs('DISPATCHER', [(await createSite(db)).id]);
    await expect(away.carrierInvoices.ofShipment({ ref: '88417' })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });
});
