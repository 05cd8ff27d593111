import { describe, expect, it } from 'vitest';
import { decimal } from '../../lib/money';
import { capacityFor, siteCapacity, takeCapacity, type CapacityRow } from './site-capacity';
import { chooseSlotting, type SlotAssignment } from './slotting-rules';

// A site's capacity held in memory for shipments slotted together: what each booking takes
// from it is what the next shipment's choice sees, as a read after that booking's commit would.

const DAY = '2026-12-11';
const trip = (id: string, departureId: string, hourUtc: number, vehicleId: string | null) => ({
  id,
  departureId,
  serviceDate: DAY,
  departsAt: `${DAY}T${String(hourUtc).padStart(2, '0')}:00:00.000Z`,
  cutoffAt: `${DAY}T${String(hourUtc - 2).padStart(2, '0')}:00:00.000Z`,
  vehicleId,
  status: 'PLANNED' as const,
});

const row: CapacityRow = {
  trips: [trip('evening', 'dep-eve', 23, null), trip('noon', 'dep-noon', 18, null)],
  vehicles: [
    { id: 'big', maxWeightKg: '1000.000', maxVolumeM3: '20.0000', dgClasses: [] },
    { id: 'small', maxWeightKg: '700.000', maxVolumeM3: '10.0000', dgClasses: [] },
  ],
  busy: [],
  bookings: [{ tripId: 'evening', vehicleId: 'small', weightKg: '100.000', volumeM3: '1.0000' }],
  doors: [{ id: 'd1', code: 'D1', slots: [] }],
};

const shipment = (kg: string) => ({
  id: `s-${kg}`,
  readyAt: new Date(`${DAY}T10:00:00.000Z`),
  weightKg: decimal(kg),
  volumeM3: decimal('1'),
  dangerousGoods: false,
  dgClasses: [],
});

function slot(site: ReturnType<typeof siteCapacity>, kg: string, departureId: string) {
  const runs = site.trips.filter((t) => t.departureId === departureId);
  const capacity = capacityFor(site, runs);
  const choice = chooseSlotting({
    shipment: shipment(kg),
    trips: capacity.candidates,
    doors: capacity.doors,
    slotMinutes: 30,
  });
  if (!choice.ok) return choice;
  takeCapacity(site, choice, { weightKg: decimal(kg), volumeM3: decimal('1') });

  return choice;
}

describe('a site capacity slotted from in memory', () => {
  it('sums what is booked on each run vehicle as read', () => {
    const site = siteCapacity(row);
    const evening = capacityFor(site).candidates.find((c) => c.tripId === 'evening')!;

    expect(evening.vehicles.map((v) => [v.vehicleId, String(v.bookedWeightKg)])).toEqual([
      ['big', '0'],
      ['small', '100'],
    ]);
  });

  it('gives the next shipment what the bookings before it left', () => {
    const site = siteCapacity(row);

    const first = slot(site, '500', 'dep-eve') as SlotAssignment;
    const second = slot(site, '50', 'dep-eve') as SlotAssignment;
    const third = slot(site, '500', 'dep-eve');

    // Best fit: 500 kg on the small truck (100 booked), which the run keeps; 50 kg joins it,
    // and 500 kg more fits neither it nor, the run's vehicle being chosen, the big one.
    expect([first.vehicleId, second.vehicleId]).toEqual(['small', 'small']);
    expect(second.remainingWeightKg.toString()).toBe('50');
    expect(third.ok).toBe(false);
    // One door: the second slot ends where the first begins.
    expect(second.slotEnd).toEqual(first.slotStart);
    expect(site.trips.find((t) => t.id === 'evening')!.vehicleId).toBe('small');
  });

  it('keeps a vehicle a run took that day off the other runs of the day', () => {
    const site = siteCapacity(row);
    slot(site, '500', 'dep-eve');

    const noon = capacityFor(
      site,
      site.trips.filter((t) => t.departureId === 'dep-noon'),
    );

    expect(noon.candidates[0]!.vehicles.map((v) => v.vehicleId)).toEqual(['big']);
    expect(noon.doors[0]!.slots).toHaveLength(1);
  });
});
