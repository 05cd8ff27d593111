import { Readable } from 'node:stream';
import { parse, type CsvError } from 'csv-parse';

// The file's records as csv-parse streams them, one at a time and in file order: a record that
// cannot be read (a stray quote) is passed on as an error at its line instead of ending the whole
// file, so that one bad line costs one row. `line` is the line the record ends on, as an editor
// counts it (a quoted field may span lines); `bytes` is how far into the file it ends.

export type CsvRecord =
  | { line: number; bytes: number; fields: string[] }
  | { line: number; bytes: number; error: string };

const FEED_BYTES = 256 * 1024;
/** A record past this is not a row of an import but a broken file (an unclosed quote). */
const MAX_RECORD_BYTES = 64 * 1024;

function* slices(data: Buffer): Generator<Buffer> {
  for (let at = 0; at < data.length; at += FEED_BYTES) yield data.subarray(at, at + FEED_BYTES);
}

export async function* readCsv(data: Buffer): AsyncGenerator<CsvRecord> {
  const skipped: CsvRecord[] = [];
  let bytes = 0;
  const parser = parse({
    bom: true,
    info: true,
    relax_column_count: true,
    skip_empty_lines: true,
    skip_records_with_error: true,
    // A stray quote inside a field is taken as text: strict quoting makes csv-parse lose every
    // record after it up to the next quote, and those rows would vanish without an error.
    relax_quotes: true,
    // Files put together from several exports mix their line endings.
    record_delimiter: ['\r\n', '\n', '\r'],
    max_record_size: MAX_RECORD_BYTES,
    on_skip: (error: CsvError | undefined) => {
      const line = typeof error?.lines === 'number' ? error.lines : 0;
      skipped.push({ line, bytes, error: error?.message ?? 'cannot be read as CSV' });

      return undefined;
    },
  });
  Readable.from(slices(data)).pipe(parser);

  for await (const item of parser as AsyncIterable<{
    record: string[];
    info: { lines: number; bytes: number };
  }>) {
    // csv-parse reports a skipped record when it parses it, which may be before the records
    // ahead of it are read from the stream: each is passed on in its place by line.
    while (skipped.length && skipped[0]!.line < item.info.lines) yield skipped.shift()!;
    bytes = item.info.bytes;
    yield { line: item.info.lines, bytes, fields: item.record };
  }
  while (skipped.length) yield { ...skipped.shift()!, bytes: data.length };
}
