import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

import type { MappingContext, ReferenceMap } from '../../../server/integration/types';

// Where the sample files are. The copies whose licence allows it (MIT, BSD-3-Clause,
// Apache-2.0) live in tests/fixtures/samples with their notices; the CDDL and EPL originals exist
// only in ../shared/samples (CI has it), and our own files of the same shape stand in for them
// when it is absent.

const ROOT = path.resolve(import.meta.dirname, '../../..');
// SHARED_SAMPLES_DIR points elsewhere to try the suite as a machine without ../shared sees it.
export const SHARED = process.env.SHARED_SAMPLES_DIR ?? path.resolve(ROOT, '../shared/samples');
export const FIXTURES = path.resolve(ROOT, 'tests/fixtures/samples');
export const sharedAvailable = existsSync(SHARED);
export const SKIP_REASON = `../shared/samples is absent: the CDDL originals cannot be copied here (our same-shape files cover them)`;

/** Copyable samples, read from our fixtures (byte-identical to ../shared/samples). */
export function fixture(relative: string): string {
  return readFileSync(path.join(FIXTURES, relative), 'utf8');
}

export function fixtureBytes(relative: string): Buffer {
  return readFileSync(path.join(FIXTURES, relative));
}

/** A sample that only ../shared/samples holds; call inside a test skipped without it. */
export function shared(relative: string): string {
  return readFileSync(path.join(SHARED, relative), 'utf8');
}

export const NOW = new Date('2026-02-01T12:00:00Z');

/** A small partner mapping table: some references of every sample mapped, others left out on purpose. */
export const REFERENCES: ReferenceMap = {
  partners: {
    '9:0000000000001': 'CUST-DECO',
    '9:0441200000009': 'CUST-PRAIRIE',
    // The Simplot depositor (9:0377912820000) is left unmapped: PARTNER_ID unresolved.
  },
  skus: {
    'VN:000100': { skuCode: 'SKU-STRUDEL-BB', unitPrice: '18.50', currency: 'USD' },
    'VN:000200': { skuCode: 'SKU-STRUDEL-CN', unitPrice: '18.50', currency: 'USD' },
    '10071179009894': { skuCode: 'SKU-FRIES-WEDGE', unitPrice: '41.20', currency: 'USD' },
    '10044120005511': { skuCode: 'SKU-OAT-CRISP', unitPrice: '22.00', currency: 'USD' },
    '10044120007829': { skuCode: 'SKU-GRANOLA', unitPrice: '35.75', currency: 'USD' },
    '999999310145': { skuCode: 'SKU-WIDGET-BLUE', unitPrice: '4.00', currency: 'USD' },
    '999999311746': { skuCode: 'SKU-WIDGET-RED', unitPrice: '4.00', currency: 'USD' },
    '0000000000642': { skuCode: 'SKU-642', unitPrice: '1.00', currency: 'USD' },
    '10614141073464': { skuCode: 'SKU-EPC-WIDGET', unitPrice: '9.99', currency: 'USD' },
  },
  locations: {
    '91:CTW-DAL1': { kind: 'SITE', site: 'DAL1', timeZone: 'America/Chicago', dock: 'D4' },
    '92:000009': { kind: 'SITE', site: 'LAX2', timeZone: 'America/Los_Angeles', dock: 'X1' },
    '1 EDI SOURCE': { kind: 'SITE', site: 'CLE1', timeZone: 'America/New_York', dock: 'S2' },
    '00602679321': { kind: 'SITE', site: 'TOR1', timeZone: 'America/Toronto' },
    'ZZ:00000001': { kind: 'CUSTOMER', customerCode: 'CUST-DECO', locationCode: 'DECO-ST1' },
    '91:10126290': { kind: 'CUSTOMER', customerCode: 'CUST-SIMPLOT', locationCode: 'MCLANE-NY' },
    '91:NSG-0042': { kind: 'CUSTOMER', customerCode: 'CUST-PRAIRIE', locationCode: 'NSG-GARLAND' },
    // GLN 0614141073467: the site the first EPCIS example ships from (its readPoint's SGLN).
    '0614141073467': { kind: 'SITE', site: 'DAL1', timeZone: 'America/Chicago', dock: 'D4' },
    'urn:epc:id:sgln:0012345.11111.0': {
      kind: 'CUSTOMER',
      customerCode: 'CUST-ACME',
      locationCode: 'ACME-DC',
    },
    'urn:epc:id:sgln:0614141.00888.0': { kind: 'SITE', site: 'DAL1' },
  },
  carriers: { ODFL: 'OLD-DOMINION', UPSN: 'UPS', CPCC: 'CANADA-POST', PRRX: 'PRAIRIE-RAIL' },
};

export function context(overrides: Partial<MappingContext> = {}): MappingContext {
  return {
    references: REFERENCES,
    site: 'DAL1',
    timeZone: 'America/Chicago',
    now: NOW,
    ...overrides,
  };
}
