import type { Rng } from '../../server/seed';
import { priceIn, type World, type WorldSite, type WorldSku } from './simulate-world';

// One shipment's events as a warehouse would send them, with the faults real floors have. Each
// event has an event time (minutes after the release, all in the recent past) and a send step:
// the driver sends step k about k steps after the shipment starts, so that a step out of
// event-time order is an event that arrives late.

export const FAULTS = [
  'QUANTITY_VARIANCE',
  'MISSING_DG_DOCUMENT',
  'CREDIT_BREACH',
  'DUPLICATE',
  'LATE_PICK',
  'DEPARTED_AFTER_DELIVERED',
  'VOIDED_PICK',
  'UNKNOWN_ORDER',
  'LATE_POD',
] as const;
export type Fault = (typeof FAULTS)[number];

/** Chance per shipment; MISSING_DG_DOCUMENT is per dangerous-goods shipment. */
export const FAULT_RATES: Record<Fault, number> = {
  QUANTITY_VARIANCE: 0.08,
  MISSING_DG_DOCUMENT: 0.35,
  CREDIT_BREACH: 0.03,
  DUPLICATE: 0.06,
  LATE_PICK: 0.05,
  DEPARTED_AFTER_DELIVERED: 0.03,
  VOIDED_PICK: 0.03,
  UNKNOWN_ORDER: 0.02,
  LATE_POD: 0.1,
};
const DG_SHARE = 0.15;
// The whole floor-to-door story is set this far back, so that no event time is in the future.
const STORY_MINUTES = 200;

export type WireEvent = Record<string, unknown> & { eventId: string; type: string };

export interface PlannedEvent {
  step: number;
  event: WireEvent;
}

export interface ShipmentPlan {
  orderRef: string;
  faults: Fault[];
  events: PlannedEvent[];
}

interface Line {
  lineNo: number;
  sku: WorldSku;
  uom: 'EA' | 'CS';
  quantity: number;
}

interface Story {
  rng: Rng;
  site: WorldSite;
  orderRef: string;
  start: number;
  faults: Set<Fault>;
  lines: Line[];
  events: PlannedEvent[];
}

function at(story: Story, minutes: number): string {
  return new Date(story.start + minutes * 60_000).toISOString();
}

function add(
  story: Story,
  step: number,
  type: string,
  minutes: number,
  payload: object,
  tag = type,
): WireEvent {
  const event: WireEvent = {
    eventId: `${story.orderRef}-${tag}`,
    type,
    occurredAt: at(story, minutes),
    site: story.site.code,
    orderRef: story.orderRef,
    payload,
  };
  story.events.push({ step, event });

  return event;
}

function drawFaults(rng: Rng): Set<Fault> {
  return new Set(FAULTS.filter((f) => f !== 'MISSING_DG_DOCUMENT' && rng.chance(FAULT_RATES[f])));
}

function drawLines(rng: Rng, world: World, faults: Set<Fault>): Line[] {
  const count = rng.weighted([1, 2, 3, 4], [4, 3, 2, 1]);
  const lines: Line[] = Array.from({ length: count }, (_, i) => ({
    lineNo: i + 1,
    sku: rng.pick(world.skus),
    uom: rng.chance(0.6) ? 'CS' : 'EA',
    quantity: rng.int(1, 12),
  }));
  if (rng.chance(DG_SHARE) && world.dgSkus.length) {
    lines.push({
      lineNo: count + 1,
      sku: rng.pick(world.dgSkus),
      uom: 'CS',
      quantity: rng.int(1, 4),
    });
  }
  // A breach is an order far above the customer's usual: a few hundred cases of its dearest line.
  if (faults.has('CREDIT_BREACH'))
    lines[0] = { ...lines[0]!, uom: 'CS', quantity: rng.int(300, 600) };

  return lines;
}

const money = (n: number) => n.toFixed(2);

function releasePayload(story: Story, shipTo: WorldSite['shipTos'][number]): object {
  const { customer, location } = shipTo;

  return {
    customerCode: customer.code,
    shipToCode: location,
    poNumber: `PO-${story.orderRef.slice(-6)}`,
    currency: customer.currency,
    lines: story.lines.map((l) => ({
      lineNo: l.lineNo,
      skuCode: l.sku.code,
      quantity: String(l.quantity),
      uom: l.uom,
      unitPrice: money(priceIn(l.sku, customer.currency) * (l.uom === 'CS' ? l.sku.caseSize : 1)),
    })),
  };
}

function pickPayload(story: Story, short: boolean): object {
  const variance = short ? story.rng.int(0, story.lines.length - 1) : -1;

  return {
    lines: story.lines.map((l, i) => ({
      lineNo: l.lineNo,
      // A short pick: 50-90 % of the ordered quantity, never nothing.
      quantity: String(
        i === variance
          ? Math.max(1, Math.floor(l.quantity * story.rng.float(0.5, 0.9)))
          : l.quantity,
      ),
      uom: l.uom,
      lot: `LOT-${story.rng.int(10_000, 99_999)}`,
      location: `${String.fromCharCode(65 + story.rng.int(0, 7))}-${String(story.rng.int(1, 40)).padStart(2, '0')}-${story.rng.int(1, 5)}`,
    })),
  };
}

function stagePayload(story: Story): object {
  const eaches = (l: Line) => l.quantity * (l.uom === 'CS' ? l.sku.caseSize : 1);
  const kg = story.lines.reduce((sum, l) => sum + eaches(l) * l.sku.weightKg, 0) + 20;
  const m3 = story.lines.reduce((sum, l) => sum + eaches(l) * l.sku.volumeM3, 0) + 0.1;

  return {
    handlingUnits: Math.max(1, Math.ceil(m3 / 1.5)),
    weight: { value: kg.toFixed(1), unit: 'KG' },
    volume: { value: m3.toFixed(3), unit: 'M3' },
    dock: story.rng.pick(story.site.docks),
  };
}

function dgDocuments(story: Story, step: number, minutes: number): void {
  for (const line of story.lines.filter((l) => l.sku.dangerous)) {
    add(
      story,
      step,
      'DOCUMENT_ATTACHED',
      minutes,
      {
        kind: 'DANGEROUS_GOODS_DECLARATION',
        reference: `DGD-${story.orderRef.slice(-6)}-${line.lineNo}`,
        uri: `https://docs.example.test/dgd/${story.orderRef}-${line.lineNo}.pdf`,
        lineNo: line.lineNo,
      },
      `dgd-${line.lineNo}`,
    );
  }
}

/** Release, pick, QC, documents and stage, with the pick's faults. */
function floor(story: Story, shipTo: WorldSite['shipTos'][number]): void {
  const { faults } = story;
  add(story, 0, 'ORDER_RELEASED', 0, releasePayload(story, shipTo), 'rel');
  const short = faults.has('QUANTITY_VARIANCE');
  if (faults.has('VOIDED_PICK')) {
    // A wrong pick, withdrawn after the stage, and the right one sent with the void.
    const wrong = add(story, 1, 'PICK_COMPLETED', 40, pickPayload(story, true), 'pick-wrong');
    add(
      story,
      4,
      'EVENT_VOIDED',
      58,
      { voidedEventId: wrong.eventId, reason: 'wrong lot scanned' },
      'void',
    );
    add(story, 4, 'PICK_COMPLETED', 59, pickPayload(story, short), 'pick');
  } else {
    add(
      story,
      faults.has('LATE_PICK') ? 4 : 1,
      'PICK_COMPLETED',
      40,
      pickPayload(story, short),
      'pick',
    );
  }
  add(story, 2, 'QC_PASSED', 50, {}, 'qc');
  if (!faults.has('MISSING_DG_DOCUMENT')) dgDocuments(story, 2, 52);
  add(story, 3, 'PACKED_STAGED', 60, stagePayload(story), 'stage');
}

function deliveredPayload(story: Story): object {
  const pod = {
    signer: `Receiver ${story.rng.int(1, 99)}`,
    signedAt: at(story, 156),
    documentUri: `https://pod.example.test/${story.orderRef}.pdf`,
  };

  return {
    lines: story.lines.map((l) => ({ lineNo: l.lineNo, quantity: String(l.quantity), uom: l.uom })),
    ...(story.rng.chance(0.05) && { damageNotes: 'one carton crushed at a corner' }),
    ...(!story.faults.has('LATE_POD') && { pod }),
  };
}

/** Load, departure, arrival, delivery and proof of delivery, from send step `from` on. */
function transport(story: Story, from: number): void {
  const { faults } = story;
  add(story, from, 'LOADED', 100, { vehicle: story.rng.pick(story.site.vehicles) }, 'load');
  add(
    story,
    faults.has('DEPARTED_AFTER_DELIVERED') ? from + 4 : from + 1,
    'DEPARTED',
    110,
    {},
    'dep',
  );
  add(story, from + 2, 'ARRIVED', 150, {}, 'arr');
  add(story, from + 3, 'DELIVERED', 155, deliveredPayload(story), 'del');
  if (faults.has('LATE_POD')) {
    add(
      story,
      from + 5,
      'POD_RECEIVED',
      170,
      {
        signer: 'Dock clerk',
        signedAt: at(story, 165),
        documentUri: `https://pod.example.test/${story.orderRef}-late.pdf`,
      },
      'pod',
    );
  }
}

function pickShipTo(rng: Rng, site: WorldSite, breach: boolean): WorldSite['shipTos'][number] {
  const slow = site.shipTos.filter((s) => s.customer.slowPayer);

  return rng.pick(breach && slow.length ? slow : site.shipTos);
}

export function planShipment(rng: Rng, world: World, orderRef: string, now: number): ShipmentPlan {
  const site = rng.weighted(
    world.sites,
    world.sites.map((s) => s.share),
  );
  const faults = drawFaults(rng);
  const lines = drawLines(rng, world, faults);
  const story: Story = {
    rng,
    site,
    orderRef,
    start: now - STORY_MINUTES * 60_000,
    faults,
    lines,
    events: [],
  };
  const dangerous = lines.some((l) => l.sku.dangerous);
  if (dangerous && rng.chance(FAULT_RATES.MISSING_DG_DOCUMENT)) faults.add('MISSING_DG_DOCUMENT');

  if (faults.has('UNKNOWN_ORDER')) {
    // Floor events for an order that was never released: the product parks them as orphans.
    add(story, 1, 'PICK_COMPLETED', 40, pickPayload(story, false), 'pick');
    add(story, 3, 'PACKED_STAGED', 60, stagePayload(story), 'stage');
  } else {
    floor(story, pickShipTo(rng, site, faults.has('CREDIT_BREACH')));
    transportUnlessHeld(story, dangerous);
  }
  if (faults.has('DUPLICATE')) resend(story);

  return { orderRef, faults: [...faults], events: story.events.sort((a, b) => a.step - b.step) };
}

/** A shipment held on purpose stays at the dock; half the missing documents arrive later. */
function transportUnlessHeld(story: Story, dangerous: boolean): void {
  const { faults } = story;
  if (faults.has('QUANTITY_VARIANCE') || faults.has('CREDIT_BREACH')) return;
  if (dangerous && faults.has('MISSING_DG_DOCUMENT')) {
    if (!story.rng.chance(0.5)) return;
    dgDocuments(story, 5, 70);
    transport(story, 6);

    return;
  }
  transport(story, 5);
}

/** A retry of one event already sent, as a sender does when an answer was lost. */
function resend(story: Story): void {
  const original = story.rng.pick(story.events);
  const last = Math.max(...story.events.map((e) => e.step));
  story.events.push({ step: Math.min(last + 1, original.step + 2), event: { ...original.event } });
}
