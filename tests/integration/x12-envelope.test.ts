import { X12Parser } from 'node-x12';
import { describe, expect, it } from 'vitest';

import { allFaults } from '../../server/integration/x12/envelope';
import {
  processX12,
  type InterchangeResult,
} from '../../server/integration/x12/process-interchange';
import { buildInterchange, ORDER_BODY, type InterchangeSpec } from './helpers/build-x12';
import { context, NOW } from './helpers/samples';

// Malformed interchanges of our own, each breaking one rule, answered with a 997 (and a TA1 for
// the interchange's own trailer) that names the segment and element at fault.

function run(spec: InterchangeSpec | string, lenient = false): InterchangeResult {
  const raw = typeof spec === 'string' ? spec : buildInterchange(spec);
  const result = processX12(raw, {
    context: context(),
    lenient,
    ack: { controlNumbers: () => ({ interchange: 501, group: 501, ta1: 502 }), now: NOW },
  });
  if (!result.ok) throw new Error(result.reason);

  return result.interchanges[0]!;
}

/** The 997's segments between ST and SE, after node-x12 has parsed it strictly (counts checked). */
function ackSegments(result: InterchangeResult): string[] {
  expect(result.ack997).not.toBeNull();
  expect(() => new X12Parser(true).parse(result.ack997!)).not.toThrow();
  const segments = result.ack997!.split('~').filter(Boolean);

  return segments.filter((s) => /^AK\d/.test(s));
}

const threeSets = (override: Partial<InterchangeSpec['groups'][number]['sets'][number]> = {}) => ({
  groups: [
    {
      control: '4401',
      sets: [{ control: '0001' }, { control: '0002', ...override }, { control: '0003' }],
    },
  ],
});

describe('a sound interchange', () => {
  it('is accepted whole and every set is mapped', () => {
    const result = run(threeSets());
    expect(allFaults(result.check)).toEqual([]);
    expect(ackSegments(result)).toEqual([
      'AK1*OW*4401',
      'AK2*940*0001',
      'AK5*A',
      'AK2*940*0002',
      'AK5*A',
      'AK2*940*0003',
      'AK5*A',
      'AK9*A*3*3*3',
    ]);
    expect(result.events.map((e) => e.type)).toEqual(Array(3).fill('ORDER_RELEASED'));
    expect(result.ta1).toBeNull();
  });
});

describe('faults of a transaction set reject that set only', () => {
  it('SE01: names the SE and its count, takes the two sound sets', () => {
    const result = run(threeSets({ se01: '12' }));
    expect(allFaults(result.check).map((f) => f.message)).toEqual([
      'SE01 in the transaction set with ST02 0002: declares 12, holds 9',
    ]);
    expect(ackSegments(result)).toEqual([
      'AK1*OW*4401',
      'AK2*940*0001',
      'AK5*A',
      'AK2*940*0002',
      'AK3*SE*9**8',
      'AK4*1*96*7*12',
      'AK5*R*4',
      'AK2*940*0003',
      'AK5*A',
      'AK9*P*3*3*2',
    ]);
    expect(result.sets.map((s) => s.taken)).toEqual([true, false, true]);
    expect(result.events).toHaveLength(2);
  });

  it('SE02: names the trailer control number that does not match ST02', () => {
    const result = run(threeSets({ se02: '0020' }));
    expect(ackSegments(result)).toContain('AK4*2*329*7*0020');
    expect(ackSegments(result)).toContain('AK5*R*3');
    expect(allFaults(result.check)[0]).toMatchObject({ code: 'SE02_CONTROL', element: 'SE02' });
  });

  it('a set type no mapper reads is rejected as not supported', () => {
    const result = run(threeSets({ type: '850' }));
    expect(ackSegments(result)).toEqual(
      expect.arrayContaining(['AK2*850*0002', 'AK5*R*1', 'AK9*P*3*3*2']),
    );
  });
});

describe('group trailer faults are named; the sound sets in the group are still taken', () => {
  it('GE01 declares more sets than the group holds', () => {
    const result = run({ groups: [{ control: '4401', sets: [{ control: '0001' }], ge01: '2' }] });
    expect(ackSegments(result)).toContain('AK9*E*2*1*1*5');
    expect(allFaults(result.check)[0]?.message).toBe(
      'GE01 in the group with GS06 4401: declares 2 sets, holds 1',
    );
    expect(result.events).toHaveLength(1);
  });

  it('GE02 does not match GS06', () => {
    const result = run({
      groups: [{ control: '4401', sets: [{ control: '0001' }], ge02: '9999' }],
    });
    expect(ackSegments(result)).toContain('AK9*E*1*1*1*4');
    expect(result.events).toHaveLength(1);
  });
});

describe('interchange trailer faults are answered in a TA1', () => {
  it('IEA02 does not match ISA13', () => {
    const result = run({
      groups: [{ control: '4401', sets: [{ control: '0001' }] }],
      iea02: '000000999',
    });
    expect(result.ta1).toMatch(/~TA1\*000000901\*260113\*0830\*E\*001~IEA\*0\*000000502~$/);
    expect(ackSegments(result)).toContain('AK9*A*1*1*1');
  });

  it('IEA01 counts groups the interchange does not hold', () => {
    const result = run({ groups: [{ control: '4401', sets: [{ control: '0001' }] }], iea01: '3' });
    expect(result.ta1).toContain('*E*021~');
    expect(allFaults(result.check)[0]?.message).toBe(
      'IEA01 in the interchange with ISA13 000000901: declares 3 groups, holds 1',
    );
  });

  it('a set outside any group is refused and named', () => {
    const raw = buildInterchange({ groups: [] }).replace(
      /IEA/,
      `ST*940*0009~${ORDER_BODY.join('~')}~SE*9*0009~IEA`,
    );
    const result = run(raw);
    expect(result.sets).toEqual([]);
    expect(result.ta1).toContain('*E*024~');
    expect(result.ack997).toBeNull();
  });
});

describe('a truncated file', () => {
  const cut = (raw: string, marker: string) => raw.slice(0, raw.indexOf(marker));

  it('cut inside the last set: the whole group is rejected, nothing of it is applied', () => {
    const raw = cut(
      buildInterchange(threeSets()),
      'W01*10*CA*004412000551*UK*10044120005511~\nSE*9*0003',
    );
    const result = run(raw);
    expect(allFaults(result.check).map((f) => f.code)).toEqual([
      'IEA_MISSING',
      'GE_MISSING',
      'SE_MISSING',
    ]);
    expect(ackSegments(result)).toEqual([
      'AK1*OW*4401',
      'AK2*940*0001',
      'AK5*R',
      'AK2*940*0002',
      'AK5*R',
      'AK2*940*0003',
      'AK3*SE*8**3',
      'AK5*R*2',
      'AK9*R*3*3*0*3',
    ]);
    expect(result.events).toEqual([]);
    expect(result.ta1).toContain('*E*023~');
  });

  it('cut after the last group: the groups are complete and taken, the missing IEA is named', () => {
    const raw = cut(buildInterchange(threeSets()), 'IEA');
    const result = run(raw);
    expect(ackSegments(result)).toContain('AK9*A*3*3*3');
    expect(result.events).toHaveLength(3);
    expect(result.ta1).toContain('*E*023~');
  });
});

describe('a lenient partner', () => {
  it('passes a wrong SE01 with a warning and an AK5 "E" that still names the fault', () => {
    const result = run(threeSets({ se01: '12' }), true);
    expect(ackSegments(result)).toEqual(
      expect.arrayContaining(['AK3*SE*9**8', 'AK4*1*96*7*12', 'AK5*E*4', 'AK9*E*3*3*3']),
    );
    expect(result.events).toHaveLength(3);
    expect(result.warnings).toContainEqual({
      code: 'LENIENT_ENVELOPE',
      message:
        'SE01 in the transaction set with ST02 0002: declares 12, holds 9; passed because the partner is lenient',
    });
  });

  it('still rejects a set cut off before its SE', () => {
    const raw = buildInterchange(threeSets({ omitSe: true }));
    const result = run(raw, true);
    expect(result.sets.map((s) => s.status)).toEqual(['A', 'R', 'A']);
  });
});

describe('acknowledgements are never acknowledged', () => {
  it('writes no 997 for an interchange of 997s', () => {
    const body = ['AK1*SM*13309', 'AK9*A*1*1*1'];
    const result = run({
      groups: [
        { control: '77', functionalId: 'FA', sets: [{ control: '0001', type: '997', body }] },
      ],
    });
    expect(result.ack997).toBeNull();
  });
});
