import { describe, expect, it } from 'vitest';

import { readCsv, type CsvRecord } from './read-csv';

async function all(text: string): Promise<CsvRecord[]> {
  const records: CsvRecord[] = [];
  for await (const record of readCsv(Buffer.from(text))) records.push(record);

  return records;
}

describe('reading CSV records', () => {
  it('skips the byte-order mark and blank lines, keeps quoted commas and newlines, counts lines', async () => {
    const records = await all('\uFEFFa,b\r\n1,"x, y"\r\n\r\n2,"two\nlines"\n3,z');

    expect(records.map((r) => ('fields' in r ? [r.line, ...r.fields] : r))).toEqual([
      [1, 'a', 'b'],
      [2, '1', 'x, y'],
      [5, '2', 'two\nlines'],
      [6, '3', 'z'],
    ]);
    expect(records.at(-1)!.bytes).toBe(
      Buffer.byteLength('\uFEFFa,b\r\n1,"x, y"\r\n\r\n2,"two\nlines"\n3,z'),
    );
  });

  it('keeps a stray quote as text, losing none of the rows after it', async () => {
    const records = await all('a,b\n1,"bad"x\n2,ok\n3,ok"\n');

    expect(records.map((r) => ('fields' in r ? r.fields : r))).toEqual([
      ['a', 'b'],
      ['1', '"bad"x'],
      ['2', 'ok'],
      ['3', 'ok"'],
    ]);
  });

  it('passes a quote left open on as an error at its line', async () => {
    const records = await all('a,b\n1,ok\n2,"open\n3,ok\n');

    expect(records.at(-1)).toMatchObject({
      line: 4,
      error: expect.stringMatching(/Quote Not Closed/),
    });
    expect(records).toHaveLength(3);
  });
});
