import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { decimal } from '../../lib/money';
import {
  chooseSlotting,
  latestFreeSlot,
  type CandidateTrip,
  type DockDoorSlots,
  type SlotAssignment,
  type SlottingInput,
  type SlotVehicle,
} from './slotting-rules';

const t = (hhmm: string, day = '2026-12-07') => new Date(`${day}T${hhmm}:00Z`);

function vehicle(id: string, maxKg: number, bookedKg = 0, dgClasses: string[] = []): SlotVehicle {
  return {
    vehicleId: id,
    maxWeightKg: String(maxKg),
    maxVolumeM3: '40',
    dgClasses,
    bookedWeightKg: String(bookedKg),
    bookedVolumeM3: '0',
  };
}

function trip(id: string, departs: string, cutoff: string, vehicles: SlotVehicle[]): CandidateTrip {
  return { tripId: id, departsAt: t(departs), cutoffAt: t(cutoff), vehicles };
}

function door(id: string, slots: [string, string][] = []): DockDoorSlots {
  return {
    dockDoorId: id,
    code: id.toUpperCase(),
    slots: slots.map(([s, e]) => ({ start: t(s), end: t(e) })),
  };
}

function input(overrides: Partial<SlottingInput> = {}): SlottingInput {
  return {
    shipment: {
      id: 'sh-1',
      readyAt: t('14:00'),
      weightKg: '500',
      volumeM3: '2',
      dangerousGoods: false,
      dgClasses: [],
    },
    trips: [trip('trip-18', '18:00', '16:00', [vehicle('big', 20000), vehicle('small', 1000)])],
    doors: [door('d1')],
    slotMinutes: 30,
    ...overrides,
  };
}

function assigned(i: SlottingInput): SlotAssignment {
  const r = chooseSlotting(i);
  if (!r.ok) throw new Error(r.reason);

  return r;
}

describe('chooseSlotting()', () => {
  it('books the best-fitting vehicle and the last slot before departure', () => {
    expect(assigned(input())).toEqual({
      ok: true,
      tripId: 'trip-18',
      vehicleId: 'small',
      dockDoorId: 'd1',
      slotStart: t('17:30'),
      slotEnd: t('18:00'),
      remainingWeightKg: decimal(500),
      remainingVolumeM3: decimal(38),
    });
  });

  it('takes the earliest trip that works, whatever order the trips come in', () => {
    const trips = [
      trip('trip-20', '20:00', '19:00', [vehicle('v', 1000)]),
      trip('trip-12', '12:00', '10:00', [vehicle('v', 1000)]),
      trip('trip-18', '18:00', '16:00', [vehicle('v', 1000)]),
    ];
    expect(assigned(input({ trips })).tripId).toBe('trip-18');
  });

  it('counts readiness exactly at the cut-off as made', () => {
    const i = input();
    expect(assigned({ ...i, shipment: { ...i.shipment, readyAt: t('16:00') } }).tripId).toBe(
      'trip-18',
    );
  });

  it('moves to the next trip when the vehicles are full, and fits exactly at capacity', () => {
    const trips = [
      trip('trip-18', '18:00', '16:00', [vehicle('v18', 1000, 500.001)]),
      trip('trip-20', '20:00', '19:00', [vehicle('v20', 1000, 500)]),
    ];
    const r = assigned(input({ trips }));
    expect([r.tripId, r.vehicleId, r.remainingWeightKg.toString()]).toEqual([
      'trip-20',
      'v20',
      '0',
    ]);
  });

  it('puts dangerous goods only on a vehicle certified for every class', () => {
    const i = input({
      trips: [
        trip('trip-18', '18:00', '16:00', [
          vehicle('plain', 1000),
          vehicle('dg3', 1000, 0, ['3']),
          vehicle('dg38', 5000, 0, ['3', '8']),
        ]),
      ],
    });
    const dg = (classes: string[]) => ({
      ...i,
      shipment: { ...i.shipment, dangerousGoods: true, dgClasses: classes },
    });
    expect(assigned(dg(['3'])).vehicleId).toBe('dg3');
    expect(assigned(dg(['3', '8'])).vehicleId).toBe('dg38');
    expect(chooseSlotting(dg(['2.1']))).toMatchObject({
      ok: false,
      trips: [{ rejection: 'NO_VEHICLE_CAPACITY' }],
    });
  });

  it('chooses a free slot earlier on the door, or another door free at departure', () => {
    const busy = door('d1', [['17:30', '18:00']]);
    expect(assigned(input({ doors: [busy] })).slotStart).toEqual(t('17:00'));
    const r = assigned(input({ doors: [busy, door('d2')] }));
    expect([r.dockDoorId, r.slotStart]).toEqual(['d2', t('17:30')]);
  });

  it('fits around slots that are not aligned to the departure', () => {
    const d = door('d1', [
      ['17:40', '18:10'],
      ['16:50', '17:15'],
    ]);
    const r = assigned(input({ doors: [d] }));
    expect([r.slotStart, r.slotEnd]).toEqual([t('16:20'), t('16:50')]);
  });

  it('never starts loading before notBefore and moves on when no slot is left', () => {
    const trips = [...input().trips, trip('trip-20', '20:00', '19:00', [vehicle('v', 1000)])];
    const r = assigned(input({ trips, notBefore: t('17:45') }));
    expect([r.tripId, r.slotStart]).toEqual(['trip-20', t('19:30')]);
  });

  it('returns NO_CAPACITY naming why each trip was rejected', () => {
    const trips = [
      trip('trip-12', '12:00', '10:00', [vehicle('v', 1000)]),
      trip('trip-18', '18:00', '16:00', [vehicle('v', 100)]),
      trip('trip-20', '20:00', '19:00', [vehicle('v', 1000)]),
    ];
    const r = chooseSlotting(input({ trips, doors: [door('d1', [['00:00', '23:59']])] }));
    expect(r).toEqual({
      ok: false,
      code: 'NO_CAPACITY',
      reason: 'trip-12: CUTOFF_MISSED; trip-18: NO_VEHICLE_CAPACITY; trip-20: NO_DOCK_SLOT',
      trips: [
        { tripId: 'trip-12', rejection: 'CUTOFF_MISSED' },
        { tripId: 'trip-18', rejection: 'NO_VEHICLE_CAPACITY' },
        { tripId: 'trip-20', rejection: 'NO_DOCK_SLOT' },
      ],
    });
    expect(chooseSlotting(input({ trips: [] }))).toMatchObject({
      ok: false,
      reason: 'No trip is planned for the departure',
    });
  });

  it('refuses a slot length that is not a positive whole number of minutes', () => {
    expect(() => chooseSlotting(input({ slotMinutes: 0 }))).toThrow(RangeError);
    expect(() => chooseSlotting(input({ slotMinutes: 7.5 }))).toThrow(RangeError);
  });
});

describe('slotting properties', () => {
  const minute = fc.integer({ min: 0, max: 23 * 60 });
  const at = (m: number) => new Date(t('00:00').getTime() + m * 60_000);
  const slots = fc.array(
    fc
      .tuple(minute, fc.integer({ min: 5, max: 120 }))
      .map(([s, len]) => ({ start: at(s), end: at(s + len) })),
    { maxLength: 8 },
  );

  it('a chosen slot is free, ends by the departure and starts after notBefore', () => {
    fc.assert(
      fc.property(
        slots,
        minute,
        minute,
        fc.integer({ min: 5, max: 90 }),
        (existing, dep, nb, len) => {
          const d: DockDoorSlots = { dockDoorId: 'd', code: 'D', slots: existing };
          const slot = latestFreeSlot(d, at(dep), at(nb), len);
          if (!slot) return;
          expect(slot.end.getTime()).toBeLessThanOrEqual(at(dep).getTime());
          expect(slot.start.getTime()).toBeGreaterThanOrEqual(at(nb).getTime());
          expect(slot.end.getTime() - slot.start.getTime()).toBe(len * 60_000);
          for (const s of existing) {
            expect(s.end <= slot.start || slot.end <= s.start).toBe(true);
          }
          // Nothing later would have fitted: a minute later overlaps or passes the departure.
          const later = {
            start: new Date(slot.start.getTime() + 60_000),
            end: new Date(slot.end.getTime() + 60_000),
          };
          const laterFree =
            later.end <= at(dep) &&
            existing.every((s) => s.end <= later.start || later.end <= s.start);
          expect(laterFree).toBe(false);
        },
      ),
    );
  });

  // What slotting_capacity reads of a door: its bookings merged into unbroken busy stretches,
  // overlapping and touching ones joined, as PostgreSQL's range_agg does.
  const merged = (existing: { start: Date; end: Date }[]) => {
    const out: { start: Date; end: Date }[] = [];
    for (const s of [...existing].sort((a, b) => a.start.getTime() - b.start.getTime())) {
      const last = out[out.length - 1];
      if (last && s.start.getTime() <= last.end.getTime()) {
        if (s.end > last.end) last.end = s.end;
      } else out.push({ ...s });
    }

    return out;
  };

  it('chooses the same slot on a door whose bookings are merged into busy stretches', () => {
    // Back-to-back slots, as slotting packs them, as well as random ones.
    const packed = fc
      .tuple(minute, fc.integer({ min: 1, max: 12 }), fc.integer({ min: 5, max: 30 }))
      .map(([s, n, len]) =>
        Array.from({ length: n }, (_, i) => ({
          start: at(s + i * len),
          end: at(s + (i + 1) * len),
        })),
      );
    fc.assert(
      fc.property(
        fc.tuple(slots, packed).map(([a, b]) => [...a, ...b]),
        minute,
        minute,
        fc.integer({ min: 5, max: 90 }),
        (existing, dep, nb, len) => {
          const door = (s: { start: Date; end: Date }[]): DockDoorSlots => ({
            dockDoorId: 'd',
            code: 'D',
            slots: s,
          });
          expect(latestFreeSlot(door(merged(existing)), at(dep), at(nb), len)).toEqual(
            latestFreeSlot(door(existing), at(dep), at(nb), len),
          );
        },
      ),
      { numRuns: 2_000 },
    );
  });
});
