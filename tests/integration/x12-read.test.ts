import { X12Parser, type X12Interchange } from 'node-x12';
import { describe, expect, it } from 'vitest';

import { readInterchange } from '../../server/integration/x12/read-interchange';
import type { X12Document } from '../../server/integration/x12/structure';
import { fixture, shared, sharedAvailable, SKIP_REASON } from './helpers/samples';

function read(raw: string): X12Document {
  const result = readInterchange(raw);
  if (!result.ok) throw new Error(result.reason);

  return result.document;
}

function firstSet(document: X12Document) {
  return document.interchanges[0]!.groups[0]!.sets[0]!;
}

const ISA =
  'ISA*00*          *00*          *ZZ*SENDER         *ZZ*RECEIVER       *260110*0900*U*00401*000000017*0*P*>';

describe('separators come from the ISA of each sample', () => {
  it.each([
    ['x12/node-x12-856.edi', { element: '*', component: '>', segment: '~', repetition: '-' }],
    ['x12/ediengine-940.edi', { element: '*', component: '>', segment: '\n', repetition: null }],
    [
      'x12/omniparser-ups-210.edi',
      { element: '*', component: '>', segment: '|', repetition: null },
    ],
    [
      'x12/stupidedi-204-load-tender.edi',
      { element: '*', component: '|', segment: '~', repetition: null },
    ],
    ['x12/own-940-crlf.edi', { element: '*', component: '>', segment: '\r', repetition: null }],
    ['x12/own-945.edi', { element: '*', component: '>', segment: '~', repetition: '^' }],
    ['x12/own-214-pod.edi', { element: '*', component: ':', segment: '\n', repetition: null }],
  ])('%s', (file, separators) => {
    expect(read(fixture(file)).separators).toEqual(separators);
  });
});

describe('tolerance', () => {
  it('reads past a byte-order mark, CRLF and indented segments (own 940, shaped like Simplot)', () => {
    const set = firstSet(read(fixture('x12/own-940-crlf.edi')));
    expect(set.type).toBe('940');
    expect(set.body[0]).toMatchObject({ tag: 'W05', elements: ['N', 'PF-40017', '4500288'] });
    expect(set.se).toMatchObject({ tag: 'SE', elements: ['27', '0001'] });
  });

  it('keeps a last segment that has no terminator (newline-terminated file without final newline)', () => {
    const document = read(fixture('x12/ediengine-940.edi'));
    expect(document.interchanges[0]!.iea?.elements).toEqual(['1', '000003438']);
  });

  it('trims right-padded values and reads zero-padded counts as numbers', () => {
    const document = read(fixture('x12/omniparser-canadapost-214.edi'));
    const set = firstSet(document);
    expect(set.body[0]!.elements[0]).toBe('4343638097845589');
    expect(set.se?.elements[0]).toBe('0000000013');
    expect(document.interchanges[0]!.groups[0]!.sets).toHaveLength(19);
  });

  it('keeps the group version apart from the envelope version (ISA12 00400, GS08 004030)', () => {
    const document = read(fixture('x12/omniparser-ups-210.edi'));
    expect(document.interchanges[0]!.version).toBe('00400');
    expect(firstSet(document).version).toBe('004030');
  });

  it('never splits a value on the repetition separator: the 856 REF*BM keeps its dash', () => {
    const set = firstSet(read(fixture('x12/node-x12-856.edi')));
    expect(set.body.find((s) => s.tag === 'REF')?.elements).toEqual(['BM', '999999-001']);
  });

  it('reads composites as one value; the component separator is for the mapper to split', () => {
    const set = read(fixture('x12/omniparser-ups-210.edi')).interchanges[0]!.groups[0]!.sets[1]!;
    const n9 = set.body.find((s) => s.tag === 'N9' && s.elements[0] === 'ZZ');
    expect(n9?.elements[6]).toBe('ZZ>MX>ZZ>031');
  });

  it('counts segment positions within a set from ST = 1, as AK302 does', () => {
    const set = firstSet(read(fixture('x12/omniparser-ups-210.edi')));
    expect(set.body[0]).toMatchObject({ tag: 'B3', position: 2 });
    expect(set.se?.position).toBe(48);
  });

  it('reads a 404-style mix of "~" and blank lines between segments', () => {
    const raw = `${ISA}~\n\nGS*OW*S*R*20260110*0900*17*X*004010~\n  ST*940*0001~W05*N*A1~SE*3*0001~GE*1*17~IEA*1*000000017~\n\n`;
    const document = read(raw);
    expect(firstSet(document).body.map((s) => s.tag)).toEqual(['W05']);
    expect(document.interchanges[0]!.iea).not.toBeNull();
  });

  it('nests several interchanges in one document', () => {
    const one = `${ISA}~GS*OW*S*R*20260110*0900*17*X*004010~ST*940*0001~W05*N*A1~SE*3*0001~GE*1*17~IEA*1*000000017~`;
    const two = one.replaceAll('000000017', '000000018');
    expect(read(`${one}\n${two}`).interchanges.map((i) => i.controlNumber)).toEqual([
      '000000017',
      '000000018',
    ]);
  });
});

describe('what is not X12', () => {
  it.each([
    ['an empty body', ''],
    ['JSON', '{"eventId":"e-1"}'],
    ['an ISA without separators', 'ISA'],
    ['an ISA cut before ISA16', 'ISA*00*          *00*'],
    ['a letter after ISA16 as terminator', `${ISA}XGS*OW`],
  ])('refuses %s', (_, raw) => {
    expect(readInterchange(raw).ok).toBe(false);
  });
});

describe('the same segments as node-x12 where node-x12 can read the file', () => {
  // node-x12 reads separators at fixed offsets and drops an unterminated last segment, so it is
  // compared on the samples it reads whole; on those, both must see identical segments.
  function nodeSegments(raw: string) {
    const parsed = new X12Parser(false).parse(raw) as X12Interchange;

    return parsed.functionalGroups.flatMap((g) =>
      g.transactions.map((t) =>
        t.segments.map((s) => [s.tag, ...s.elements.map((e) => e.value.trim())]),
      ),
    );
  }

  it.each([
    'x12/node-x12-856.edi',
    'x12/ediengine-856-crossdock.edi',
    'x12/omniparser-canadapost-214.edi',
    'x12/omniparser-ups-210.edi',
    'x12/stupidedi-204-load-tender.edi',
  ])('%s', (file) => {
    const raw = fixture(file);
    const ours = read(raw).interchanges[0]!.groups.flatMap((g) =>
      g.sets.map((s) => s.body.map((seg) => [seg.tag, ...seg.elements])),
    );
    expect(ours).toEqual(nodeSegments(raw));
  });

  it('keeps the IEA that node-x12 drops when the last segment has no terminator', () => {
    const raw = fixture('x12/ediengine-940.edi');
    const parser = new X12Parser(false);
    expect((parser.parse(raw) as X12Interchange).trailer).toBeUndefined();
    expect(parser.diagnostics).toEqual([]);
    expect(read(raw).interchanges[0]!.iea).not.toBeNull();
  });

  it('reads the BOM files node-x12 finds no interchange in (our same-shape 940 and 210)', () => {
    for (const file of ['x12/own-940-crlf.edi', 'x12/own-rail-210.edi']) {
      expect(new X12Parser(false).parse(fixture(file))).toBeUndefined();
      expect(firstSet(read(fixture(file))).se).not.toBeNull();
    }
  });

  it.skipIf(!sharedAvailable)(`reads the CDDL originals node-x12 cannot (${SKIP_REASON})`, () => {
    for (const file of ['x12/oopfactory-cn-rail-210.edi', 'x12/oopfactory-simplot-940.edi']) {
      expect(new X12Parser(false).parse(shared(file))).toBeUndefined();
      expect(firstSet(read(shared(file))).se).not.toBeNull();
    }
  });
});
