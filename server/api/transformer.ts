import Decimal from 'decimal.js';
import SuperJSON from 'superjson';

// The wire format of tRPC, shared by server and browser: superjson (Date, Map, BigInt...) plus
// decimal.js, so money crosses as an exact decimal string and arrives as a Decimal again. Prisma
// returns its own bundled Decimal class; Decimal.isDecimal recognises it by its tag.
export const transformer = new SuperJSON();

transformer.registerCustom<Decimal, string>(
  {
    isApplicable: (value): value is Decimal => Decimal.isDecimal(value),
    serialize: (value) => value.toJSON(),
    deserialize: (value) => new Decimal(value),
  },
  'decimal.js',
);
