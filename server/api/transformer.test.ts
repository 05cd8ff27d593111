import Decimal from 'decimal.js';
import { describe, expect, it } from 'vitest';
import { Prisma } from '../db/generated/client';
import { transformer } from './transformer';

function roundTrip<T>(value: T): unknown {
  return transformer.parse(transformer.stringify(value));
}

describe('the tRPC transformer', () => {
  it('round-trips decimal.js values exactly', () => {
    const back = roundTrip({ amount: new Decimal('12345678901234.0005') }) as { amount: Decimal };

    expect(Decimal.isDecimal(back.amount)).toBe(true);
    expect(back.amount.toFixed()).toBe('12345678901234.0005');
  });

  it("carries Prisma's own Decimal class as a Decimal", () => {
    const back = roundTrip([new Prisma.Decimal('0.1')]) as Decimal[];

    expect(back[0]!.plus('0.2').toFixed()).toBe('0.3');
  });

  it('keeps dates', () => {
    const at = new Date('2026-12-01T08:30:00.123Z');

    expect(roundTrip({ at })).toEqual({ at });
  });
});
