import { randomUUID } from 'node:crypto';
import { normaliseDecimal } from '../domain/events/decimal-fields';
import { addEvent } from './history-context';
import type { SimShipment } from './history-types';

// Facts of the floor that both the first pass and a resolved hold change, and the event
// payloads that report them, in the canonical event schema (server/domain/events/payloads.ts).

export const DOCUMENTS_URL = 'https://documents.demo.example';

/** Weight, volume and handling units from what was picked, plus a little packaging. */
export function measure(s: SimShipment): void {
  let weight = 0;
  let volume = 0;
  for (const l of s.lines) {
    weight += l.pickedBase * l.sku.weightKg;
    volume += l.pickedBase * l.sku.volumeM3;
  }
  s.weightKg = Math.max(0.5, weight * 1.03);
  s.volumeM3 = Math.max(0.001, volume * 1.1);
  s.handlingUnits = Math.max(1, Math.ceil(s.volumeM3 / 1.2));
}

/** A decimal as the schema normalises it ("12.50" is "12.5"), so stored events read back alike. */
export function decimalText(value: number, places: number): string {
  return normaliseDecimal(value.toFixed(places));
}

/** PICK_COMPLETED lines: the cumulative quantity per line in eaches; a line not picked is left out. */
export function pickedLines(s: SimShipment) {
  return s.lines
    .filter((l) => l.pickedBase > 0)
    .map((l) => ({
      lineNo: l.lineNo,
      quantity: String(l.pickedBase),
      uom: 'EA',
      lot: l.lot,
      location: l.location,
    }));
}

/** PACKED_STAGED: what was packed and where it waits. */
export function stagedPayload(s: SimShipment) {
  return {
    handlingUnits: s.handlingUnits,
    weight: { value: decimalText(s.weightKg, 3), unit: 'KG' },
    volume: { value: decimalText(s.volumeM3, 4), unit: 'M3' },
    dock: s.stagedDock,
  };
}

export function attachDgDeclarations(s: SimShipment, at: number): void {
  for (const line of s.lines.filter((l) => l.sku.unNumber)) {
    const reference = `DGD-${s.ref}-${line.lineNo}`;
    const uri = `${DOCUMENTS_URL}/${reference}.pdf`;
    const event = addEvent(s, 'DOCUMENT_ATTACHED', at, {
      kind: 'DANGEROUS_GOODS_DECLARATION',
      reference,
      uri,
      lineNo: line.lineNo,
    });
    s.documents.push({
      id: randomUUID(),
      kind: 'DANGEROUS_GOODS_DECLARATION',
      reference,
      uri,
      orderLineId: line.orderLineId,
      eventId: event.id,
      at,
    });
  }
}
