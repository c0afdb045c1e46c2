// The first pass over the bytes (hash, NUL check, UTF-8 validity) and delimiter detection from the first lines.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { parse } from 'csv-parse';
import { AirlockError } from '../../errors';
import { DELIMITERS, type Delimiter, type TableEncoding } from './types';

export const CHUNK_BYTES = 64 * 1024;
const HEAD_BYTES = 64 * 1024;
const SAMPLE_RECORDS = 100;
const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);
// All three, always: csv-parse otherwise fixes on the first ending it sees, and a file edited on two systems mixes them.
export const LINE_ENDINGS = ['\r\n', '\n', '\r'];

export interface ByteScan {
  bytes: number;
  sha256: string;
  encoding: TableEncoding;
  bom: boolean;
  /** The first bytes of the file, for delimiter detection. */
  head: Buffer;
}

export function notText(): AirlockError {
  return new AirlockError(
    'TABLE_MALFORMED',
    'This file does not look like a text table: it contains NUL bytes (a binary file, or text saved as UTF-16). Save it as CSV in UTF-8 and import it again.',
  );
}

/** Reads the whole file once; decoding needs to know the encoding before the first row is handed over. */
export async function scanBytes(path: string, signal?: AbortSignal): Promise<ByteScan> {
  const hash = createHash('sha256');
  const utf8 = new TextDecoder('utf-8', { fatal: true });
  let utf8ok = true;
  let bytes = 0;
  const head: Buffer[] = [];
  let headBytes = 0;
  const stream = createReadStream(path, { highWaterMark: CHUNK_BYTES, signal });
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    if (chunk.includes(0)) throw notText();
    hash.update(chunk);
    if (headBytes < HEAD_BYTES) {
      const part = chunk.subarray(0, HEAD_BYTES - headBytes);
      head.push(part);
      headBytes += part.length;
    }
    if (utf8ok) {
      try {
        utf8.decode(chunk, { stream: true });
      } catch {
        utf8ok = false;
      }
    }
    bytes += chunk.length;
  }
  if (utf8ok) {
    try {
      utf8.decode(); // a multi-byte character cut off at the end of the file is not valid UTF-8 either
    } catch {
      utf8ok = false;
    }
  }
  const first = Buffer.concat(head);
  return {
    bytes,
    sha256: hash.digest('hex'),
    // Anything that is not valid UTF-8 is read as Windows-1252, the usual encoding of Excel's "CSV" on Windows.
    encoding: utf8ok ? 'utf-8' : 'windows-1252',
    bom: first.subarray(0, 3).equals(UTF8_BOM),
    head: first,
  };
}

/** The head decoded, without BOM, cut after its last complete line when the file goes on. */
export function headText(scan: ByteScan): string {
  const text = new TextDecoder(scan.encoding, { ignoreBOM: true }).decode(scan.head.subarray(scan.bom ? 3 : 0));
  if (scan.head.length >= scan.bytes) return text;
  const cut = Math.max(text.lastIndexOf('\n'), text.lastIndexOf('\r'));
  return cut > 0 ? text.slice(0, cut + 1) : text;
}

function sampleRecords(sample: string, delimiter: Delimiter): Promise<string[][]> {
  return new Promise((resolve) => {
    const records: string[][] = [];
    const parser = parse({ delimiter, record_delimiter: LINE_ENDINGS, relax_column_count: true, relax_quotes: true, skip_empty_lines: true });
    parser.on('data', (record: string[]) => {
      if (records.length < SAMPLE_RECORDS) records.push(record);
    });
    // A sample cut inside a quoted field ends in an error: the records before it are still evidence.
    parser.on('error', () => resolve(records));
    parser.on('end', () => resolve(records));
    parser.end(sample);
  });
}

/**
 * The delimiter that splits the header into most fields with the data rows agreeing (quote-aware, via csv-parse);
 * ties and single-column files go to tab for .tsv and comma otherwise.
 */
export async function detectDelimiter(sample: string, preferTab: boolean): Promise<Delimiter> {
  let best: { delimiter: Delimiter; score: number[] } | null = null;
  for (const delimiter of DELIMITERS) {
    const [header, ...rows] = await sampleRecords(sample, delimiter);
    if (!header || header.length < 2) continue;
    const agree = rows.length === 0 ? 1 : rows.filter((r) => r.length === header.length).length / rows.length;
    // Compared in order: share of rows agreeing with the header, the .tsv hint, fields in the header.
    const score = [agree, preferTab && delimiter === '\t' ? 1 : 0, header.length];
    if (!best || beats(score, best.score)) best = { delimiter, score };
  }
  return best?.delimiter ?? (preferTab ? '\t' : ',');
}

function beats(a: number[], b: number[]): boolean {
  for (let i = 0; i < a.length; i++) if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) > (b[i] ?? 0);
  return false;
}
