import { randomUUID } from 'node:crypto';
import { addEvent } from './history-context';
import type { SimShipment } from './history-types';

// Facts of the floor that both the first pass and a resolved hold change.

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

export function attachDgDeclarations(s: SimShipment, at: number): void {
  for (const line of s.lines.filter((l) => l.sku.unNumber)) {
    const reference = `DGD-${s.ref}-${line.lineNo}`;
    const event = addEvent(s, 'DOCUMENT_ATTACHED', at, {
      document: { kind: 'DANGEROUS_GOODS_DECLARATION', reference, lineNo: line.lineNo, unNumber: line.sku.unNumber },
    });
    s.documents.push({
      id: randomUUID(),
      kind: 'DANGEROUS_GOODS_DECLARATION',
      reference,
      uri: `demo://documents/${reference}.pdf`,
      orderLineId: line.orderLineId,
      eventId: event.id,
      at,
    });
  }
}
