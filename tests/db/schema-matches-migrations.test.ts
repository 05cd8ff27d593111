import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '../../server/db/migrate';
import { createDatabase, dropDatabase } from '../setup/test-database';
import { actualFacts } from './helpers/actual-schema';
import { expectedFacts } from './helpers/expected-schema';
import { readDatamodel } from './helpers/prisma-dmmf';
import {
  SECTIONS,
  diffFacts,
  render,
  unindexedForeignKeys,
  type SchemaFacts,
} from './helpers/schema-facts';
import { copyMigrations, migrationNames, type TempMigrations } from './helpers/temp-migrations';

// `prisma migrate` cannot run here, so the migrations are SQL kept by hand (or by
// shared/tools/prisma-migration-sql). This proves that applying them builds exactly what the
// Prisma schema declares, as Prisma itself reads it, so the client and the database never drift.

const SCHEMA_DIR = path.resolve(process.cwd(), 'prisma');

/** Foreign keys allowed to go without an index. Every one must be indexed: keep this empty. */
const UNINDEXED_FOREIGN_KEYS_ALLOWED: string[] = [];

function adminUrl(): string {
  const url = process.env.CT_ADMIN_DATABASE_URL;
  if (!url) throw new Error('CT_ADMIN_DATABASE_URL is unset: run through vitest (tests/setup)');

  return url;
}

async function migratedDatabase(dir?: string): Promise<string> {
  const url = await createDatabase(adminUrl(), 'ct_schema');
  await migrate(url, dir);

  return url;
}

async function run(url: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query(sql).finally(() => client.end());
}

describe('the migrations build what the Prisma schema declares', () => {
  let url: string;
  let expected: SchemaFacts;
  let actual: SchemaFacts;

  beforeAll(async () => {
    url = await migratedDatabase();
    expected = expectedFacts(readDatamodel(SCHEMA_DIR));
    actual = await actualFacts(url);
  });

  afterAll(async () => {
    if (url) await dropDatabase(adminUrl(), url);
  });

  it.each(SECTIONS)('%s match the schema', (section) => {
    expect(render(actual)[section]).toEqual(render(expected)[section]);
  });

  it('indexes every foreign key', () => {
    expect(unindexedForeignKeys(actual)).toEqual(UNINDEXED_FOREIGN_KEYS_ALLOWED);
  });

  // Spot checks of the translation itself: were it to drop a whole kind of fact on both sides
  // alike, the comparisons above would still pass.
  it.each([
    ['columns', 'shipments.released_at timestamp(3) with time zone NOT NULL'],
    ['columns', 'shipments.id uuid NOT NULL'],
    ['columns', "shipments.currency character(3) NOT NULL DEFAULT 'USD'"],
    ['columns', 'shipments.weight_kg numeric(12,3)'],
    ['columns', "shipments.status ShipmentStatus NOT NULL DEFAULT 'RELEASED'"],
    ['columns', 'shipments.updated_at timestamp(3) with time zone NOT NULL'],
    [
      'columns',
      'shipments.created_at timestamp(3) with time zone NOT NULL DEFAULT CURRENT_TIMESTAMP',
    ],
    ['columns', 'route_departures.cutoff_minute smallint NOT NULL'],
    ['columns', 'delivery_zones.postal_prefixes text[]'],
    ['columns', 'api_keys.event_types EventType[]'],
    ['columns', "audit_log.id bigint NOT NULL DEFAULT nextval('audit_log_id_seq')"],
    ['enums', 'Readiness: HELD, PENDING, READY'],
    ['indexes', 'shipments PRIMARY KEY shipments_pkey (id)'],
    ['indexes', 'shipments UNIQUE shipments_ref_key (ref)'],
    [
      'indexes',
      'shipments INDEX shipments_site_id_status_updated_at_idx (site_id, status, updated_at)',
    ],
    [
      'foreignKeys',
      'shipments_order_id_fkey: shipments(order_id) -> orders(id) ON DELETE RESTRICT ON UPDATE CASCADE',
    ],
    [
      'foreignKeys',
      'shipment_lines_shipment_id_fkey: shipment_lines(shipment_id) -> shipments(id) ON DELETE CASCADE ON UPDATE CASCADE',
    ],
  ] as const)('the schema declares, in %s: %s', (section, line) => {
    expect(render(expected)[section]).toContain(line);
  });
});

describe('the comparison reports drift', () => {
  let scratch: TempMigrations;
  let url: string;

  // A scratch copy of the migrations with a changed type and a dropped column, then changes
  // made to the migrated database of the kinds a hand-written migration could get wrong.
  beforeAll(async () => {
    scratch = copyMigrations();
    scratch.edit(migrationNames()[0]!, (sql) =>
      sql
        .replace('"tracking_ref" TEXT,', '"tracking_ref" VARCHAR(64),')
        .replace(/\n\s+"qc_at" TIMESTAMPTZ\(3\),/, ''),
    );
    url = await migratedDatabase(scratch.dir);
    await run(url, DRIFT_SQL);
  });

  afterAll(async () => {
    scratch?.remove();
    if (url) await dropDatabase(adminUrl(), url);
  });

  it('names every difference, and only those', async () => {
    const diff = diffFacts(expectedFacts(readDatamodel(SCHEMA_DIR)), await actualFacts(url));

    expect(diff.missing.sort()).toEqual(EXPECTED_MISSING.sort());
    expect(diff.unexpected.sort()).toEqual(EXPECTED_UNEXPECTED.sort());
  });

  it('finds a foreign key left without an index', async () => {
    expect(unindexedForeignKeys(await actualFacts(url))).toEqual([
      'shipments_order_id_fkey: shipments(order_id) -> orders(id) ON DELETE RESTRICT ON UPDATE CASCADE',
    ]);
  });
});

const DRIFT_SQL = `
  ALTER TABLE shipments ALTER COLUMN ref DROP NOT NULL;
  ALTER TABLE shipments ALTER COLUMN currency SET DEFAULT 'EUR';
  ALTER TABLE shipments ALTER COLUMN handling_units TYPE smallint;
  DROP INDEX shipments_order_id_idx;
  CREATE INDEX shipments_customer_id_idx ON shipments (customer_id);
  ALTER TABLE shipment_lines DROP CONSTRAINT shipment_lines_shipment_id_fkey,
    ADD CONSTRAINT shipment_lines_shipment_id_fkey FOREIGN KEY (shipment_id)
    REFERENCES shipments (id) ON DELETE RESTRICT ON UPDATE CASCADE;
  ALTER TYPE "Readiness" ADD VALUE 'BLOCKED';
  CREATE TABLE stray (id integer);
`;

const EXPECTED_MISSING = [
  'enums: Readiness: HELD, PENDING, READY',
  "columns: shipments.currency character(3) NOT NULL DEFAULT 'USD'",
  'columns: shipments.handling_units integer',
  'columns: shipments.qc_at timestamp(3) with time zone',
  'columns: shipments.ref text NOT NULL',
  'columns: shipments.tracking_ref text',
  'indexes: shipments INDEX shipments_order_id_idx (order_id)',
  'foreignKeys: shipment_lines_shipment_id_fkey: shipment_lines(shipment_id) -> shipments(id) ON DELETE CASCADE ON UPDATE CASCADE',
];

const EXPECTED_UNEXPECTED = [
  'tables: stray',
  'enums: Readiness: BLOCKED, HELD, PENDING, READY',
  "columns: shipments.currency character(3) NOT NULL DEFAULT 'EUR'",
  'columns: shipments.handling_units smallint',
  'columns: shipments.ref text',
  'columns: shipments.tracking_ref character varying(64)',
  'columns: stray.id integer',
  'indexes: shipments INDEX shipments_customer_id_idx (customer_id)',
  'foreignKeys: shipment_lines_shipment_id_fkey: shipment_lines(shipment_id) -> shipments(id) ON DELETE RESTRICT ON UPDATE CASCADE',
];
