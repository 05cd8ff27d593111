import type { Readiness, ShipmentStatus } from '../../db/generated/enums';

// The status people and partners see, derived from the milestones and readiness: never stored
// on its own authority, so it cannot disagree with the facts.

export interface StatusInputs {
  readiness: Readiness;
  pickedAt: Date | null;
  packedStagedAt: Date | null;
  slottedAt: Date | null;
  loadedAt: Date | null;
  departedAt: Date | null;
  arrivedAt: Date | null;
  deliveredAt: Date | null;
  podReceivedAt: Date | null;
  invoicedAt: Date | null;
  cancelledAt: Date | null;
}

export function deriveStatus(s: StatusInputs): ShipmentStatus {
  if (s.cancelledAt) return 'CANCELLED';
  if (s.invoicedAt) return 'INVOICED';
  if (s.podReceivedAt) return 'POD_RECEIVED';
  if (s.deliveredAt) return 'DELIVERED';
  if (s.departedAt || s.arrivedAt) return 'DEPARTED';
  if (s.loadedAt) return 'LOADED';
  if (s.packedStagedAt) return stagedStatus(s);
  if (s.pickedAt) return 'PICKED';

  return 'RELEASED';
}

function stagedStatus(s: StatusInputs): ShipmentStatus {
  if (s.readiness === 'HELD') return 'HELD';
  if (s.readiness === 'READY') return s.slottedAt ? 'SLOTTED' : 'READY';

  return 'STAGED';
}
