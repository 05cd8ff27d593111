import { describe, expect, it } from 'vitest';
import { deriveStatus, type StatusInputs } from './shipment-status';

const none: StatusInputs = {
  readiness: 'PENDING',
  pickedAt: null,
  packedStagedAt: null,
  slottedAt: null,
  loadedAt: null,
  departedAt: null,
  arrivedAt: null,
  deliveredAt: null,
  podReceivedAt: null,
  invoicedAt: null,
  cancelledAt: null,
};
const t = new Date('2026-12-01T10:00:00Z');

describe('deriveStatus', () => {
  it.each([
    [{}, 'RELEASED'],
    [{ pickedAt: t }, 'PICKED'],
    [{ pickedAt: t, packedStagedAt: t }, 'STAGED'],
    [{ packedStagedAt: t, readiness: 'HELD' }, 'HELD'],
    [{ packedStagedAt: t, readiness: 'READY' }, 'READY'],
    [{ packedStagedAt: t, readiness: 'READY', slottedAt: t }, 'SLOTTED'],
    [{ packedStagedAt: t, readiness: 'HELD', loadedAt: t }, 'LOADED'],
    [{ departedAt: t }, 'DEPARTED'],
    [{ arrivedAt: t }, 'DEPARTED'],
    [{ departedAt: t, deliveredAt: t }, 'DELIVERED'],
    [{ deliveredAt: t, podReceivedAt: t }, 'POD_RECEIVED'],
    [{ podReceivedAt: t, invoicedAt: t }, 'INVOICED'],
    [{ podReceivedAt: t, cancelledAt: t }, 'CANCELLED'],
  ] as [Partial<StatusInputs>, string][])('%o is %s', (inputs, expected) => {
    expect(deriveStatus({ ...none, ...inputs })).toBe(expected);
  });
});
