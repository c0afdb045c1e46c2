// The reader on hand-made files: quoting, encodings, delimiters, broken tables, cancellation and batching.
import { appendFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readTable } from '../../electron/core/ingest/table';
import { tempDir } from '../helpers';
import { column, DATA, FIXTURES, readAll, writeTemp } from './table-helpers';

const fixture = (name: string) => join(FIXTURES, name);
const noRows = { onRows: () => undefined };

describe('quoting and delimiters', () => {
  it('keeps delimiters, doubled quotes and newlines inside quoted fields; NA is missing, quoted or not', async () => {
    const { summary, rows } = await readAll(fixture('quoted.csv'));
    expect(summary).toMatchObject({ delimiter: ',', header: ['id', 'comment', 'dose'], rowCount: 4 });
    expect(rows).toEqual([
      ['1', 'Seen by Dr. Jones, said "fine"', '2.5'],
      ['2', 'two\nlines', '3'],
      ['3', null, null],
      ['4', null, '4'],
    ]);
  });

  it('reads CRLF files the same as LF ones', async () => {
    const text = readFileSync(fixture('quoted.csv'), 'utf8').replace(/\n/g, '\r\n');
    const { rows } = await readAll(writeTemp('crlf.csv', text));
    expect(rows[1]).toEqual(['2', 'two\r\nlines', '3']);
    expect(rows).toHaveLength(4);
  });

  it('accepts mixed and old-Mac line endings without leaving \\r in values', async () => {
    const { rows } = await readAll(writeTemp('mixed.csv', 'a,b\r\n1,2\n3,4\r\n5,"x\ny"\r6,7\r'));
    expect(rows).toEqual([['1', '2'], ['3', '4'], ['5', 'x\ny'], ['6', '7']]);
    await expect(readTable(writeTemp('mixed-ragged.csv', 'a,b\n1,2\r\n3,"x\r\ny"\r\n\n4,5,6\r\n'), noRows)).rejects.toMatchObject({ message: 'Line 6 has 3 fields; the header has 2.' });
  });

  it('detects semicolons (decimal commas stay in the value)', async () => {
    const { summary, rows } = await readAll(fixture('semicolon.csv'));
    expect(summary.delimiter).toBe(';');
    expect(rows).toEqual([['1', '72,5', 'A'], ['2', '80', 'B'], ['3', null, 'C']]);
    expect(column(summary, 'weight').inferredType).toBe('categorical');
  });

  it('reads .tsv as tab-separated, even with commas in the values', async () => {
    const { summary, rows } = await readAll(fixture('scores.tsv'));
    expect(summary.delimiter).toBe('\t');
    expect(rows[0]).toEqual(['1', 'Ann, Lee', '3']);
  });

  it('lets content overrule the .tsv extension, and an explicit delimiter overrule detection', async () => {
    const path = writeTemp('really-commas.tsv', 'a,b,c\n1,2,3\n');
    expect((await readAll(path)).summary.delimiter).toBe(',');
    const both = writeTemp('both.csv', 'a;b,c\n1;2,3\n');
    expect((await readAll(both)).summary.header).toEqual(['a;b', 'c']);
    expect((await readAll(both, { delimiter: ';' })).summary.header).toEqual(['a', 'b,c']);
  });

  it('detects pipes, and a single-column file falls back to comma', async () => {
    expect((await readAll(writeTemp('p.txt', 'a|b\n"x|y"|2\n'))).rows).toEqual([['x|y', '2']]);
    const single = await readAll(writeTemp('one.csv', 'mrn\nA1\nA2\n'));
    expect(single.summary).toMatchObject({ delimiter: ',', header: ['mrn'], rowCount: 2 });
  });

  it('applies a custom list of missing markers', async () => {
    const path = writeTemp('m.csv', 'a,b\n.,-99\nNA,1\n');
    const { rows } = await readAll(path, { missingMarkers: ['.', '-99'] });
    expect(rows).toEqual([[null, null], ['NA', '1']]);
    expect((await readAll(writeTemp('s.csv', 'a,b\n NA ,""\n'))).rows).toEqual([[null, null]]);
  });

  it('skips blank lines, including trailing ones', async () => {
    const { rows, summary } = await readAll(writeTemp('b.csv', 'a,b\n1,2\n\n3,4\n\n\n'));
    expect(rows).toEqual([['1', '2'], ['3', '4']]);
    expect(summary.rowCount).toBe(2);
  });
});

describe('encodings', () => {
  it('strips a UTF-8 BOM and says it was there', async () => {
    const path = writeTemp('bom.csv', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('name,city\nZoë,Kraków\n', 'utf8')]));
    const { summary, rows } = await readAll(path);
    expect(summary).toMatchObject({ encoding: 'utf-8', bom: true, header: ['name', 'city'] });
    expect(rows).toEqual([['Zoë', 'Kraków']]);
  });

  it('reads a file that is not valid UTF-8 as Windows-1252', async () => {
    // "Müller" and "€5" in Windows-1252 bytes: ü = 0xFC, € = 0x80.
    const bytes = Buffer.from([...Buffer.from('name,fee\nM'), 0xfc, ...Buffer.from('ller,'), 0x80, ...Buffer.from('5\n')]);
    const { summary, rows } = await readAll(writeTemp('latin1.csv', bytes));
    expect(summary).toMatchObject({ encoding: 'windows-1252', bom: false });
    expect(rows).toEqual([['Müller', '€5']]);
  });

  it('finds invalid UTF-8 far from the start, and keeps multi-byte characters split across chunks', async () => {
    const filler = 'x,ü\n'.repeat(40_000); // ~200 KB of valid UTF-8, so chunk boundaries fall inside "ü"
    const utf8 = await readAll(writeTemp('u.csv', `a,b\n${filler}`));
    expect(utf8.summary.encoding).toBe('utf-8');
    expect(utf8.rows.every((r) => r[1] === 'ü')).toBe(true);
    const late = Buffer.concat([Buffer.from(`a,b\n${filler}`), Buffer.from([0x79, 0x2c, 0xe9, 0x0a])]);
    const latin = await readAll(writeTemp('late.csv', late));
    expect(latin.summary.encoding).toBe('windows-1252');
    expect(latin.rows.at(-1)).toEqual(['y', 'é']);
  });
});

describe('tables Airlock refuses', () => {
  it('names the physical line of a ragged row', async () => {
    const lines = readFileSync(`${DATA}/pbc.csv`, 'utf8').split('\n');
    lines[56] = (lines[56] ?? '').replace(/,[^,]*$/, ''); // line 57 loses its last field
    await expect(readTable(writeTemp('ragged.csv', lines.join('\n')), noRows)).rejects.toMatchObject({
      code: 'TABLE_RAGGED',
      message: 'Line 57 has 19 fields; the header has 20.',
    });
  });

  it('counts the lines inside a quoted multi-line field (LF and CRLF)', async () => {
    await expect(readTable(fixture('ragged-after-multiline.csv'), noRows)).rejects.toMatchObject({ code: 'TABLE_RAGGED', message: 'Line 6 has 4 fields; the header has 3.' });
    const crlf = readFileSync(fixture('ragged-after-multiline.csv'), 'utf8').replace(/\n/g, '\r\n');
    await expect(readTable(writeTemp('r.csv', crlf), noRows)).rejects.toMatchObject({ code: 'TABLE_RAGGED', message: 'Line 6 has 4 fields; the header has 3.' });
    await expect(readTable(writeTemp('r2.csv', 'a,b\n\n1,2\n3\n'), noRows)).rejects.toMatchObject({ message: 'Line 4 has 1 field; the header has 2.' });
  });

  it('refuses duplicate and empty column names, naming them', async () => {
    await expect(readTable(fixture('duplicate-header.csv'), noRows)).rejects.toMatchObject({ code: 'TABLE_MALFORMED', message: expect.stringContaining('"Age" (columns 2 and 3)') });
    await expect(readTable(fixture('unnamed-header.csv'), noRows)).rejects.toMatchObject({ code: 'TABLE_MALFORMED', message: expect.stringContaining('no name for column 2') });
  });

  it('refuses empty, blank and header-only files', async () => {
    await expect(readTable(fixture('empty.csv'), noRows)).rejects.toMatchObject({ code: 'TABLE_EMPTY', message: 'The file is empty.' });
    await expect(readTable(writeTemp('blank.csv', '\n\r\n  \n'), noRows)).rejects.toMatchObject({ code: 'TABLE_EMPTY' });
    await expect(readTable(writeTemp('bom-only.csv', Buffer.from([0xef, 0xbb, 0xbf])), noRows)).rejects.toMatchObject({ code: 'TABLE_EMPTY' });
    await expect(readTable(fixture('header-only.csv'), noRows)).rejects.toMatchObject({ code: 'TABLE_EMPTY', message: 'The file has a header row but no data rows.' });
  });

  it('refuses binary files (NUL bytes), including UTF-16 text', async () => {
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d]);
    await expect(readTable(writeTemp('image.csv', png), noRows)).rejects.toMatchObject({ code: 'TABLE_MALFORMED', message: expect.stringContaining('does not look like a text table') });
    await expect(readTable(writeTemp('u16.csv', Buffer.from('\ufeffa,b\n1,2\n', 'utf16le')), noRows)).rejects.toMatchObject({ code: 'TABLE_MALFORMED' });
  });

  it('reports missing files and folders as FILE_UNREADABLE', async () => {
    const dir = tempDir();
    await expect(readTable(join(dir, 'nope.csv'), noRows)).rejects.toMatchObject({ code: 'FILE_UNREADABLE', message: 'Airlock cannot read "nope.csv": it does not exist.' });
    mkdirSync(join(dir, 'folder.csv'));
    await expect(readTable(join(dir, 'folder.csv'), noRows)).rejects.toMatchObject({ code: 'FILE_UNREADABLE' });
  });

  it('names the line where a never-closed quote starts', async () => {
    await expect(readTable(fixture('unclosed-quote.csv'), noRows)).rejects.toMatchObject({ code: 'TABLE_MALFORMED', message: expect.stringMatching(/^The record starting on line 2 has a quoted field that is never closed/) });
  });
});

describe('streaming', () => {
  function bigFile(rows: number): string {
    const path = join(tempDir('airlock-big-'), 'big.csv');
    const lines = ['id,value,note'];
    for (let i = 0; i < rows; i++) lines.push(`${i},${(i * 0.37).toFixed(3)},"row ${i}, with a comma"`);
    writeFileSync(path, `${lines.join('\n')}\n`);
    return path;
  }

  it('hands rows over in batches of 500 and returns no rows itself', async () => {
    const sizes: number[] = [];
    const progress: number[] = [];
    const summary = await readTable(bigFile(1234), { onRows: (b) => void sizes.push(b.length), onProgress: (read, total) => progress.push(read / total) });
    expect(sizes).toEqual([500, 500, 234]);
    expect(Object.keys(summary).sort()).toEqual(['bom', 'bytes', 'delimiter', 'encoding', 'header', 'profiles', 'rowCount', 'sha256']);
    expect(progress.at(-1)).toBe(1);
  });

  it('waits for an async onRows before reading on', async () => {
    let inFlight = 0;
    let overlapped = false;
    await readTable(bigFile(3000), {
      batchSize: 100,
      onRows: async () => {
        if (inFlight++ > 0) overlapped = true;
        await new Promise((r) => setTimeout(r, 1));
        inFlight--;
      },
    });
    expect(overlapped).toBe(false);
  });

  it('stops with IMPORT_CANCELLED when aborted, and never calls onRows after the abort', async () => {
    const path = bigFile(160_000); // ~5 MB
    const controller = new AbortController();
    let calls = 0;
    let afterAbort = 0;
    const reading = readTable(path, {
      signal: controller.signal,
      onRows: () => {
        if (controller.signal.aborted) afterAbort++;
        if (++calls === 1) controller.abort();
      },
    });
    await expect(reading).rejects.toMatchObject({ code: 'IMPORT_CANCELLED' });
    expect(calls).toBe(1);
    expect(afterAbort).toBe(0);
  });

  it('cancels before any row when aborted during the first progress report, or before starting', async () => {
    const path = bigFile(50_000);
    const controller = new AbortController();
    let calls = 0;
    const reading = readTable(path, { signal: controller.signal, onProgress: () => controller.abort(), onRows: () => void calls++ });
    await expect(reading).rejects.toMatchObject({ code: 'IMPORT_CANCELLED' });
    expect(calls).toBe(0);
    await expect(readTable(path, { signal: AbortSignal.abort(), onRows: () => void calls++ })).rejects.toMatchObject({ code: 'IMPORT_CANCELLED' });
    expect(calls).toBe(0);
  });

  it('passes the caller’s own errors through untouched (a full disk is not an unreadable file)', async () => {
    const storeError = Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });
    await expect(readTable(bigFile(10), { onRows: () => Promise.reject(storeError) })).rejects.toBe(storeError);
  });

  it('notices a file that grows while it is read', async () => {
    const path = bigFile(40_000);
    let first = true;
    const reading = readTable(path, {
      onRows: () => {
        if (first) appendFileSync(path, '40000,1.000,"late row"\n');
        first = false;
      },
    });
    await expect(reading).rejects.toMatchObject({ code: 'FILE_UNREADABLE', message: expect.stringContaining('changed while Airlock was reading it') });
  });
});
