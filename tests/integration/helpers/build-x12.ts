// Builds small interchanges for tests, sound by default; each override breaks one envelope rule
// on purpose (a wrong count, a mismatched control number, a missing trailer).

export interface SetSpec {
  control: string;
  type?: string;
  body?: string[];
  se01?: string;
  se02?: string;
  omitSe?: boolean;
}

export interface GroupSpec {
  control: string;
  functionalId?: string;
  sets: SetSpec[];
  ge01?: string;
  ge02?: string;
  omitGe?: boolean;
}

export interface InterchangeSpec {
  control?: string;
  groups: GroupSpec[];
  iea01?: string;
  iea02?: string;
  omitIea?: boolean;
  terminator?: string;
  usage?: string;
}

export const ORDER_BODY = [
  'W05*N*ORD-1001*PO-77',
  'N1*DE*PRAIRIE FOODS LTD*9*0441200000009',
  'N1*ST*Northside Grocers*91*NSG-0042',
  'N1*WH*Control Tower Dallas 01*91*CTW-DAL1',
  'G62*10*20260120',
  'LX*1',
  'W01*10*CA*004412000551*UK*10044120005511',
];

function setLines(spec: SetSpec): string[] {
  const body = spec.body ?? ORDER_BODY;
  const lines = [`ST*${spec.type ?? '940'}*${spec.control}`, ...body];
  if (!spec.omitSe) lines.push(`SE*${spec.se01 ?? body.length + 2}*${spec.se02 ?? spec.control}`);

  return lines;
}

function groupLines(spec: GroupSpec): string[] {
  const lines = [
    `GS*${spec.functionalId ?? 'OW'}*PF*CT TOWER*20260113*0815*${spec.control}*X*004010`,
    ...spec.sets.flatMap(setLines),
  ];
  if (!spec.omitGe) lines.push(`GE*${spec.ge01 ?? spec.sets.length}*${spec.ge02 ?? spec.control}`);

  return lines;
}

export function buildInterchange(spec: InterchangeSpec): string {
  const control = spec.control ?? '000000901';
  const isa = `ISA*00*          *00*          *ZZ*PF             *ZZ*CT TOWER       *260113*0830*U*00401*${control}*0*${spec.usage ?? 'P'}*>`;
  const lines = [isa, ...spec.groups.flatMap(groupLines)];
  if (!spec.omitIea) lines.push(`IEA*${spec.iea01 ?? spec.groups.length}*${spec.iea02 ?? control}`);
  const terminator = spec.terminator ?? '~\n';

  return lines.map((line) => `${line}${terminator}`).join('');
}
