import { parseEvent, type CanonicalEvent } from '../events/schema';
import { recordEvents } from '../intake/record-events';
import type { IntakeActor } from '../intake/record-events.types';
import { unitFactor } from '../../lib/units';
import type { Checked, ImportContext, Item, KindImporter, Written } from './kinds';
import { siteProblem } from './master-data';
import { parseOrderRow } from './parse-rows';
import type { OrderRow, RowError } from './types';

// Orders: the consecutive lines of one order_ref are one ORDER_RELEASED event, recorded through
// the one intake in batches of up to 1,000 events. The event id is derived from the file's hash
// and the order's first line, so importing the same file again is answered duplicate and changes
// nothing. An order with any bad line is rejected whole: half an order is a wrong order.

export const INTAKE_BATCH = 1000;

interface OrderWrite {
  lines: number[];
  event: CanonicalEvent;
}

const ORDER_FIELDS = [
  ['site', 'site'],
  ['customer', 'customer'],
  ['shipTo', 'ship_to'],
  ['releasedAt', 'released_at'],
  ['currency', 'currency'],
  ['poNumber', 'po_number'],
  ['requestedDate', 'requested_date'],
] as const satisfies readonly (readonly [keyof OrderRow, string])[];

const LINE_COLUMNS: Record<string, string> = {
  lineNo: 'line_no',
  skuCode: 'sku',
  quantity: 'quantity',
  uom: 'uom',
  unitPrice: 'unit_price',
};

const HEAD_COLUMNS: Record<string, string> = {
  site: 'site',
  orderRef: 'order_ref',
  occurredAt: 'released_at',
  'payload.customerCode': 'customer',
  'payload.shipToCode': 'ship_to',
  'payload.currency': 'currency',
  'payload.poNumber': 'po_number',
  'payload.requestedDate': 'requested_date',
};

export function orderEventId(fileSha256: string, firstLine: number): string {
  return `csv-${fileSha256.slice(0, 24)}-L${firstLine}`;
}

/** Consecutive items of one key, in file order. */
export function groupsOf<R>(items: Item<R>[]): Item<R>[][] {
  const groups: Item<R>[][] = [];
  for (const item of items) {
    const last = groups.at(-1);
    if (last && last[0]!.key === item.key) last.push(item);
    else groups.push([item]);
  }

  return groups;
}

function rowProblems(ctx: ImportContext, rows: OrderRow[]): RowError[] {
  const { master } = ctx;
  const first = rows[0]!;
  const errors: RowError[] = [];
  const fail = (row: OrderRow, column: string, value: string | null, reason: string) =>
    errors.push({ line: row.line, column, value, reason });
  for (const row of rows.slice(1)) {
    for (const [field, column] of ORDER_FIELDS) {
      if (row[field] !== first[field]) {
        const reason = `differs from line ${first.line} of order ${first.orderRef} ("${first[field] ?? ''}")`;
        fail(row, column, row[field] === null ? null : String(row[field]), reason);
      }
    }
  }
  const badSite = siteProblem(master.site(first.site), first.site);
  if (badSite) fail(first, 'site', first.site, badSite);
  const customer = master.customer(first.customer);
  if (!customer) fail(first, 'customer', first.customer, `unknown customer ${first.customer}`);
  if (customer && !customer.shipTos.has(first.shipTo)) {
    const reason = `unknown ship-to ${first.shipTo} of customer ${first.customer}`;
    fail(first, 'ship_to', first.shipTo, reason);
  }
  for (const row of rows) {
    const sku = master.sku(row.sku);
    if (!sku) fail(row, 'sku', row.sku, `unknown SKU ${row.sku}`);
    const unit = sku && unitFactor(row.uom, sku.units, sku.baseUom);
    if (unit && !unit.ok) fail(row, 'uom', row.uom, unit.message);
  }

  return errors;
}

function eventOf(ctx: ImportContext, rows: OrderRow[]): unknown {
  const first = rows[0]!;
  const currency = first.currency ?? ctx.master.customer(first.customer)?.currency ?? 'USD';

  return {
    eventId: orderEventId(ctx.fileSha256, first.line),
    type: 'ORDER_RELEASED',
    occurredAt: first.releasedAt,
    site: ctx.master.site(first.site)?.code ?? first.site,
    orderRef: first.orderRef,
    payload: {
      customerCode: first.customer,
      shipToCode: first.shipTo,
      ...(first.poNumber === null ? {} : { poNumber: first.poNumber }),
      ...(first.requestedDate === null ? {} : { requestedDate: first.requestedDate }),
      currency,
      lines: rows.map((r) => ({
        lineNo: r.lineNo,
        skuCode: r.sku,
        quantity: r.quantity,
        uom: r.uom,
        unitPrice: r.unitPrice,
      })),
    },
  };
}

/** An intake issue's path ("payload.lines[2].quantity") as the line and column it came from. */
function issueError(rows: OrderRow[], path: string, reason: string): RowError {
  const line = /^payload\.lines\[(\d+)\]\.?(\w*)/.exec(path);
  const row = line ? (rows[Number(line[1])] ?? rows[0]!) : rows[0]!;
  const column = line ? (LINE_COLUMNS[line[2] ?? ''] ?? null) : (HEAD_COLUMNS[path] ?? null);

  return { line: row.line, column, value: null, reason };
}

/** Every line of a rejected order is rejected; a line with no fault of its own says why. */
function rejectWhole(orderRef: string, lines: number[], errors: RowError[]): RowError[] {
  const own = new Set(errors.map((e) => e.line));
  const first = Math.min(...own);
  const reason = `order ${orderRef} is rejected for its line ${first}`;
  const others = lines
    .filter((l) => !own.has(l))
    .map((line) => ({ line, column: null, value: null, reason }));

  return [...errors, ...others];
}

async function check(ctx: ImportContext, items: Item<OrderRow>[]): Promise<Checked<OrderWrite>> {
  const parsed = items.flatMap((i) => (i.parsed.ok ? [i.parsed.row] : []));
  await ctx.master.loadSites();
  await ctx.master.loadSkus(parsed.map((r) => r.sku));
  await ctx.master.loadCustomers(parsed.map((r) => r.customer));

  const accepted: OrderWrite[] = [];
  const errors: RowError[] = [];
  for (const group of groupsOf(items)) {
    const failed = group.flatMap((i) => (i.parsed.ok ? [] : i.parsed.errors));
    const rows = group.flatMap((i) => (i.parsed.ok ? [i.parsed.row] : []));
    // Every fault the rows show at once, so that one round of fixes is enough.
    const problems = [...failed, ...(rows.length ? rowProblems(ctx, rows) : [])];
    if (failed.length) {
      errors.push(
        ...rejectWhole(
          group[0]!.key,
          group.map((i) => i.line),
          problems,
        ),
      );
      continue;
    }
    const result = problems.length ? null : parseEvent(eventOf(ctx, rows), { now: ctx.now });
    if (result?.ok) {
      accepted.push({ lines: rows.map((r) => r.line), event: result.event });
      continue;
    }
    const issues = result ? result.issues.map((i) => issueError(rows, i.path, i.reason)) : [];
    errors.push(
      ...rejectWhole(
        rows[0]!.orderRef,
        rows.map((r) => r.line),
        [...problems, ...issues],
      ),
    );
  }

  return { accepted, errors };
}

async function write(ctx: ImportContext, accepted: OrderWrite[]): Promise<Written> {
  const actor: IntakeActor = {
    partnerId: ctx.partnerId,
    siteCodes: ctx.master.allowedSiteCodes(),
    eventTypes: new Set(['ORDER_RELEASED']),
  };
  const written: Written = { imported: 0, unchanged: 0, errors: [] };
  for (let at = 0; at < accepted.length; at += INTAKE_BATCH) {
    const batch = accepted.slice(at, at + INTAKE_BATCH);
    const results = batch.map((w) => ({ ok: true as const, event: w.event }));
    const answers = await recordEvents(ctx.db, actor, results, {
      source: 'CSV',
      documentId: ctx.documentId,
      requestId: ctx.requestId,
    });
    for (const answer of answers) {
      const order = batch[answer.index]!;
      if (answer.status === 'accepted') written.imported += order.lines.length;
      else if (answer.status === 'duplicate') written.unchanged += order.lines.length;
      else {
        const own = answer.issues.map((i) => ({
          line: order.lines[0]!,
          column: HEAD_COLUMNS[i.path] ?? null,
          value: null,
          reason: i.reason,
        }));
        written.errors.push(...rejectWhole(order.event.orderRef ?? '', order.lines, own));
      }
    }
  }

  return written;
}

export const ordersImporter: KindImporter<OrderRow, OrderWrite> = {
  parse: parseOrderRow,
  keyOf: (cells) => cells.get('order_ref'),
  describeKey: 'order_ref',
  grouped: true,
  check,
  write: (ctx, accepted) => write(ctx, accepted),
  transactional: false,
  linesOf: (w) => w.lines,
};
