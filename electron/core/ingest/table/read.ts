// Streams a CSV/TSV file once to check its bytes, once to parse it: rows go to the caller in batches, never kept here.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { CsvError, parse } from 'csv-parse';
import { AirlockError } from '../../errors';
import { ColumnAccumulator } from './profile';
import { CHUNK_BYTES, detectDelimiter, headText, LINE_ENDINGS, scanBytes, type ByteScan } from './sniff';
import { DEFAULT_MISSING_MARKERS, type Delimiter, type ReadTableOptions, type TableSummary } from './types';

const BATCH_ROWS = 500;
// One record may hold at most this many characters: an unclosed quote must not swallow the rest of a large file into memory.
const MAX_RECORD_CHARS = 8 * 1024 * 1024;

function countBreaks(raw: string): number {
  return raw.match(/\r\n|\r|\n/g)?.length ?? 0;
}

function cancelled(): AirlockError {
  return new AirlockError('IMPORT_CANCELLED', 'The import was cancelled before the whole file was read.');
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function checkHeader(cells: string[]): string[] {
  const names = cells.map((c) => c.trim());
  const unnamed = names.flatMap((n, i) => (n === '' ? [i + 1] : []));
  if (unnamed.length > 0)
    throw new AirlockError('TABLE_MALFORMED', `The header row has no name for column ${unnamed.slice(0, 10).join(', ')}. Every column needs a name in the first row.`);
  // Compared without case: the store's column names are case-insensitive, so Age and age would collide.
  const firstAt = new Map<string, number>();
  const repeats: string[] = [];
  names.forEach((name, i) => {
    const at = firstAt.get(name.toLowerCase());
    if (at === undefined) firstAt.set(name.toLowerCase(), i);
    else repeats.push(`"${name}" (columns ${at + 1} and ${i + 1})`);
  });
  if (repeats.length > 0)
    throw new AirlockError('TABLE_MALFORMED', `The header row names a column more than once: ${repeats.slice(0, 10).join(', ')}. Rename them so each name is unique.`);
  return names;
}

function fileError(err: NodeJS.ErrnoException, path: string): AirlockError {
  const name = basename(path);
  const why: Record<string, string> = {
    ENOENT: 'it does not exist',
    EACCES: 'permission is denied',
    EPERM: 'permission is denied',
    EISDIR: 'it is a folder, not a file',
    ENOTFILE: 'it is not a regular file',
  };
  return new AirlockError('FILE_UNREADABLE', `Airlock cannot read "${name}": ${why[err.code ?? ''] ?? `the system reported ${err.code ?? 'an error'}`}.`, { cause: err });
}

/**
 * Reads a delimited text table with bounded memory, handing rows to onRows in batches, and returns its summary and
 * column profiles. Rejects with AirlockError: FILE_UNREADABLE, TABLE_EMPTY, TABLE_MALFORMED, TABLE_RAGGED or
 * IMPORT_CANCELLED; on any rejection the caller should discard the rows it was given.
 */
export async function readTable(path: string, options: ReadTableOptions): Promise<TableSummary> {
  const { signal } = options;
  try {
    if (signal?.aborted) throw cancelled();
    const info = await stat(path);
    if (!info.isFile()) throw fileError(Object.assign(new Error('not a file'), { code: info.isDirectory() ? 'EISDIR' : 'ENOTFILE', syscall: 'stat' }), path);
    const scan = await scanBytes(path, signal);
    if (scan.bytes === 0) throw new AirlockError('TABLE_EMPTY', 'The file is empty.');
    const preferTab = /\.(tsv|tab)$/i.test(path);
    const delimiter = options.delimiter ?? (await detectDelimiter(headText(scan), preferTab));
    return await parsePass(path, scan, delimiter, options);
  } catch (err) {
    if (err instanceof AirlockError) throw err;
    if (signal?.aborted || (err instanceof Error && err.name === 'AbortError')) throw cancelled();
    // Only errors from the file system (they carry a syscall); a store error thrown by onRows passes through untouched.
    if (err instanceof Error && typeof (err as NodeJS.ErrnoException).syscall === 'string') throw fileError(err, path);
    throw err;
  }
}

/** The file's text, chunk by chunk, decoded as scanned (BOM dropped); onChunk sees every raw chunk first. */
function decoding(scan: ByteScan, onChunk: (chunk: Buffer) => void): (chunks: AsyncIterable<Buffer>) => AsyncGenerator<string> {
  return async function* decode(chunks) {
    let skipBom = scan.bom ? 3 : 0;
    const decoder = new TextDecoder(scan.encoding, { ignoreBOM: true });
    for await (const chunk of chunks) {
      onChunk(chunk);
      const body = chunk.subarray(Math.min(skipBom, chunk.length));
      skipBom = Math.max(0, skipBom - chunk.length);
      const text = decoder.decode(body, { stream: true });
      if (text) yield text;
    }
    const tail = decoder.decode();
    if (tail) yield tail;
  };
}

// No cast/on_record/info callbacks: csv-parse builds a context object per field for them, which halves its speed.
function csvParser(delimiter: Delimiter) {
  return parse({ delimiter, record_delimiter: LINE_ENDINGS, raw: true, relax_column_count: true, relax_quotes: true, skip_empty_lines: false, max_record_size: MAX_RECORD_CHARS });
}
type RawRecord = { record: string[]; raw: string };

// Blank and whitespace-only lines are skipped: spreadsheets leave them at the end of exports.
const isBlank = (record: string[]): boolean => record.length === 1 && (record[0] ?? '').trim() === '';

/** Parse errors are rare: read again up to the failure, counting lines, to say where the bad record starts. */
async function lineOfFailure(path: string, scan: ByteScan, delimiter: Delimiter): Promise<number> {
  let line = 1;
  try {
    await pipeline(createReadStream(path, { highWaterMark: CHUNK_BYTES }), decoding(scan, () => undefined), csvParser(delimiter), async (records: AsyncIterable<RawRecord>) => {
      for await (const { raw } of records) line += countBreaks(raw);
    });
  } catch {
    // expected: the same error again
  }
  return line;
}

async function parsePass(path: string, scan: ByteScan, delimiter: Delimiter, options: ReadTableOptions): Promise<TableSummary> {
  const { signal, onProgress } = options;
  const markers = new Set(options.missingMarkers ?? DEFAULT_MISSING_MARKERS).add('');
  // Markers match after trimming; the trim is only paid for cells that start or end with whitespace.
  const missing = (cell: string): boolean => markers.has(cell) || (/^\s|\s$/.test(cell) && markers.has(cell.trim()));
  const batchRows = Math.max(1, options.batchSize ?? BATCH_ROWS);
  const hash = createHash('sha256');
  let bytes = 0;
  const decode = decoding(scan, (chunk) => {
    hash.update(chunk);
    bytes += chunk.length;
    onProgress?.(bytes, scan.bytes);
  });

  let header: string[] | null = null;
  let columns: ColumnAccumulator[] = [];
  let rowCount = 0;
  let batch: (string | null)[][] = [];
  const flush = async (): Promise<void> => {
    if (batch.length === 0) return;
    if (signal?.aborted) throw cancelled();
    const rows = batch;
    batch = [];
    await options.onRows(rows);
  };
  async function consume(records: AsyncIterable<RawRecord>): Promise<void> {
    let nextLine = 1;
    for await (const { record, raw } of records) {
      const line = nextLine;
      nextLine += countBreaks(raw);
      if (isBlank(record)) continue;
      if (header === null) {
        header = checkHeader(record);
        columns = header.map(() => new ColumnAccumulator());
        continue;
      }
      const width = columns.length;
      if (record.length !== width) throw new AirlockError('TABLE_RAGGED', `Line ${line} has ${plural(record.length, 'field')}; the header has ${width}.`);
      const row: (string | null)[] = new Array<string | null>(width);
      for (let i = 0; i < width; i++) {
        const cell = record[i] as string;
        const value = missing(cell) ? null : cell;
        row[i] = value;
        (columns[i] as ColumnAccumulator).add(value);
      }
      batch.push(row);
      rowCount++;
      if (batch.length >= batchRows) await flush();
    }
    await flush();
  }

  try {
    await pipeline(createReadStream(path, { highWaterMark: CHUNK_BYTES }), decode, csvParser(delimiter), consume, { signal });
  } catch (err) {
    if (!(err instanceof CsvError)) throw err;
    const what =
      err.code === 'CSV_QUOTE_NOT_CLOSED' ? 'has a quoted field that is never closed'
      : err.code === 'CSV_MAX_RECORD_SIZE' ? `is longer than ${MAX_RECORD_CHARS / 1024 / 1024} MB (probably a quote that is never closed)`
      : `cannot be read as ${delimiter === '\t' ? 'tab' : `"${delimiter}"`}-separated values (${err.message})`;
    const line = await lineOfFailure(path, scan, delimiter);
    throw new AirlockError('TABLE_MALFORMED', `The record starting on line ${line} ${what}.`, { cause: err });
  }
  if (signal?.aborted) throw cancelled();
  const finalHeader = header as string[] | null;
  if (finalHeader === null) throw new AirlockError('TABLE_EMPTY', 'The file has no rows: it is empty apart from blank lines.');
  if (rowCount === 0) throw new AirlockError('TABLE_EMPTY', 'The file has a header row but no data rows.');
  const sha256 = hash.digest('hex');
  if (sha256 !== scan.sha256 || bytes !== scan.bytes)
    throw new AirlockError('FILE_UNREADABLE', 'The file changed while Airlock was reading it. Import it again once nothing is writing to it.');
  return {
    encoding: scan.encoding,
    bom: scan.bom,
    delimiter,
    header: finalHeader,
    rowCount,
    bytes,
    sha256,
    profiles: finalHeader.map((name, i) => (columns[i] as ColumnAccumulator).finish(name, i)),
  };
}
