// A deterministic JSON text: object keys sorted at every depth, no whitespace, undefined members
// dropped, Dates as ISO-8601 UTC, bigints and decimals as strings. PostgreSQL's jsonb reorders
// keys, so a hash over the stored row is only reproducible over a canonical form.

function normalise(value: unknown): unknown {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError('canonical JSON has no non-finite numbers');

    return value;
  }
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value))
    return value.map((item) => (item === undefined ? null : normalise(item)));
  if (typeof value === 'object') return normaliseObject(value as Record<string, unknown>);

  throw new TypeError(`canonical JSON cannot hold a ${typeof value}`);
}

function normaliseObject(value: Record<string, unknown>): unknown {
  // Decimal (decimal.js and Prisma's copy of it) and similar value types say how they serialise.
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function') {
    return normalise((value as { toJSON: () => unknown }).toJSON());
  }
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) {
    if (value[key] !== undefined) out[key] = normalise(value[key]);
  }

  return out;
}

export function canonicalJson(value: unknown): string {
  return JSON.stringify(normalise(value));
}

/** The value as it will read back from a jsonb column. */
export function toJsonValue(value: unknown): unknown {
  return normalise(value);
}
