import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

import { describe, expect, it } from 'vitest';

import {
  FIXTURES,
  fixture,
  fixtureBytes,
  SHARED,
  sharedAvailable,
  SKIP_REASON,
} from './helpers/samples';

// The copied samples are the originals, byte for byte (checksums from ../shared/samples/
// SOURCES.md), each with the notice its licence asks for; nothing else in the fixtures is a copy.

const COPIES: Record<string, { repo: string; commit: string; sha256: string }> = {
  'x12/node-x12-856.edi': {
    repo: 'aaronhuggins/node-x12',
    commit: 'fbffc2624f79d52c907e537499cafad0994573fa',
    sha256: '3d1993c7c23c562a9852194182206497ba19dd55cc61428c2e49a6f926de5778',
  },
  'x12/ediengine-940.edi': {
    repo: 'olmelabs/EdiEngine',
    commit: '9f64249edc11d0fa4c04ad513f2c77db9fbdb5e1',
    sha256: '58932c953cbf3abf833b289ff9fe6bec11ea32718736a5c2c2c4b34d1e4bbb27',
  },
  'x12/ediengine-856-crossdock.edi': {
    repo: 'olmelabs/EdiEngine',
    commit: '9f64249edc11d0fa4c04ad513f2c77db9fbdb5e1',
    sha256: '8713334a31a6848ae578f680845c363fa5ba27aa9e158dc8cc70ebbe6b2a07a5',
  },
  'x12/omniparser-canadapost-214.edi': {
    repo: 'jf-tech/omniparser',
    commit: '2e50c2eab957606302a9766ed69ebd128deedbd7',
    sha256: '7d9090d00de2f2977288bb47ebcdd14514418845074dc6ff3fce0044c9636bcc',
  },
  'x12/omniparser-ups-210.edi': {
    repo: 'jf-tech/omniparser',
    commit: '827c9ef9d41e637f7dc8b0491fb6d47ebc5c31ac',
    sha256: '1080a6cd415e99e0b90c7eaf684e7690e41f622c4bad8a65a8676edbcd8ae9a6',
  },
  'x12/stupidedi-204-load-tender.edi': {
    repo: 'kputnam/stupidedi',
    commit: 'e356422df1f9373a86047d2251459165a3e1dfcb',
    sha256: '30c2c0699e4efdd9c3828b84e42c08736c0174dbaaf009cc6b1b38c25d77665a',
  },
  'epcis/gs1-example-9.6.1-objectevent-shipping-receiving.jsonld': {
    repo: 'gs1/EPCIS',
    commit: '58c44378f3f4331b595e98adf090bfad7e34c2d2',
    sha256: '05cfdaac5c47082baf3d7991cea474b7a10a09b552dcbb00fe91ce3b5ade8264',
  },
  'epcis/gs1-example-9.6.3-aggregationevent.jsonld': {
    repo: 'gs1/EPCIS',
    commit: '58c44378f3f4331b595e98adf090bfad7e34c2d2',
    sha256: '149647b65d516358b49bc0cadd9bf2c0d69537055311c7e36609b45d162643b8',
  },
};

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

describe('copied samples', () => {
  it.each(Object.entries(COPIES))('%s is the original, with its notice', (file, source) => {
    expect(sha256(fixtureBytes(file))).toBe(source.sha256);
    const notice = fixture(`${file}.NOTICE`);
    expect(notice).toContain(`https://github.com/${source.repo}`);
    expect(notice).toContain(source.commit);
    expect(notice).toMatch(/Copyright/);
  });

  it('every other sample file is one of our own', () => {
    const files = ['x12', 'epcis', 'csv'].flatMap((dir) =>
      readdirSync(path.join(FIXTURES, dir)).map((name) => `${dir}/${name}`),
    );
    const ours = files.filter(
      (f) => !(f in COPIES) && !f.endsWith('.NOTICE') && !f.includes('LICENSE'),
    );
    expect(ours.every((f) => path.basename(f).startsWith('own-'))).toBe(true);
    expect(existsSync(path.join(FIXTURES, 'epcis/LICENSE-Apache-2.0.txt'))).toBe(true);
  });

  it.skipIf(!sharedAvailable)(`matches ../shared/samples byte for byte (${SKIP_REASON})`, () => {
    for (const file of Object.keys(COPIES)) {
      expect(fixtureBytes(file).equals(readFileSync(path.join(SHARED, file)))).toBe(true);
    }
  });
});
