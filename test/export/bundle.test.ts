// The export bundle end to end without a workspace: written from real-looking inputs, verified by Airlock and by
// the independent Python verifier, read back by Python's csv module, pydicom and dciodvfy; refused destinations
// and inputs leave nothing behind.
import { existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { protectCell, toCsv } from '../../electron/core/export/bundle/csv';
import { assertSafeRelativePath, prepareDestination, removeMade, writeExclusive, type Made } from '../../electron/core/export/bundle/paths';
import { verifyBundle } from '../../electron/core/export/bundle/verify';
import { tableJsonl, writeBundle } from '../../electron/core/export/bundle/write';
import { keyFingerprint, sha256Hex } from '../../electron/core/govern/signature';
import { addVerifyCommand } from '../../electron/cli/verify-command';
import { tempDir } from '../helpers';
import { PYTHON } from '../imaging/pydicom';
import { ADA, CHAIN, imagesBuilt, pythonVerify, RAJ, RITA, tableBuilt, TRICKY } from './bundle-fixtures';
import { phantom } from './fixtures';
import { need, run } from './tools';

const refusal = (fn: () => unknown): string => {
  try {
    fn();
  } catch (err) {
    expect(err).toMatchObject({ code: 'EXPORT_REFUSED' });
    return (err as Error).message;
  }
  throw new Error('expected a refusal');
};

describe('writeBundle + verifyBundle: a table', () => {
  it('writes the format’s tree, verifies in both verifiers, and the manifest hash identifies it', () => {
    const { input } = tableBuilt();
    const dest = join(tempDir(), 'bundle');
    const w = writeBundle(dest, input);
    expect(w.zipPath).toBeNull();
    expect(w.files.map((f) => f.path)).toEqual([
      'approvals.json', 'audit/checkpoint.json', 'card/card.html', 'card/card.json', 'card/card.pdf', 'data/synthetic.csv', 'data/synthetic.jsonl', 'report/validation.html', 'report/validation.json', 'spec/spec.json',
    ]);
    expect(sha256Hex(readFileSync(join(dest, 'manifest.json')))).toBe(w.manifestSha256);
    expect(sha256Hex(readFileSync(join(dest, 'data/synthetic.jsonl')))).toBe(input.dataset.sha256);
    const v = verifyBundle(dest);
    expect(v.failures).toEqual([]);
    expect(v).toMatchObject({ ok: true, bundleId: w.bundleId, checked: { files: 10, signatures: 3 } });
    expect(v.summary).toEqual({
      datasetSha256: input.dataset.sha256,
      tier: 'model-development',
      requiredApprovals: 1,
      approvals: [{ printedName: 'Rita Reviewer', username: 'rita', meaning: 'Approved for model development', signedAt: '2026-11-22T10:10:30.000Z', keyFingerprint: keyFingerprint(RITA.publicKey) }],
      exporter: { printedName: 'Ada Steward', username: 'ada', keyFingerprint: keyFingerprint(ADA.publicKey) },
      checkpoint: { ...CHAIN, ts: '2026-11-22T11:00:00.000Z' },
    });
    const py = pythonVerify(dest);
    expect(py.out.trim()).toBe('verified');
    expect(py.status).toBe(0);
  });

  it('Python’s csv module reads the CSV back as the JSONL rows after protection, with formulas neutralised', () => {
    const { input } = tableBuilt();
    const dest = join(tempDir(), 'bundle');
    writeBundle(dest, input);
    const script = String.raw`
import csv, json, sys
with open(sys.argv[1], newline='', encoding='utf-8') as f:
    rows = list(csv.reader(f))
print(json.dumps(rows))`;
    const r = run(PYTHON, ['-c', script, join(dest, 'data/synthetic.csv')]);
    expect(r.status, r.out).toBe(0);
    const read = JSON.parse(r.out) as string[][];
    const table = input.table!;
    const expected = [table.header, ...table.rows].map((row) => row.map((c) => (c === null ? '' : protectCell(c))));
    expect(read).toEqual(expected);
    const cells = read.slice(1, TRICKY.length + 1).map((row) => row[5]);
    expect(cells).toEqual(["'=SUM(A1)", "'+1", "'-2", "'@x", "'\tx", 'a, "quoted"\nnext line', '', '', "'\rcr", ' padded ']);
    // The JSONL keeps the cells as they are: the protection is only for spreadsheets.
    const jsonl = readFileSync(join(dest, 'data/synthetic.jsonl'), 'utf8').split('\n');
    expect((JSON.parse(jsonl[1]!) as string[])[5]).toBe('=SUM(A1)');
    expect(jsonl).toHaveLength(table.rows.length + 1);
    expect(readFileSync(join(dest, 'data/synthetic.jsonl'), 'utf8').endsWith('\n')).toBe(false);
  });

  it('CSV records are RFC 4180: CRLF, doubled quotes, and a lone empty field still a record', () => {
    expect(toCsv(['a', 'b'], [['x,y', 'say "hi"'], [null, '=1']])).toBe('a,b\r\n"x,y","say ""hi"""\r\n,\'=1\r\n');
    expect(toCsv(['only'], [[null], ['']])).toBe('only\r\n""\r\n""\r\n');
    expect(tableJsonl(['a'], [[null], ['é']])).toBe('["a"]\n[null]\n["é"]');
  });

  it('the zip beside the folder has the same tree and verifies in both verifiers; csv: false leaves the CSV out', () => {
    const { input } = tableBuilt({ tier: 'external-sharing', signers: [RITA, RAJ] });
    const dest = join(tempDir(), 'bundle');
    const w = writeBundle(dest, { ...input, csv: false }, { zip: true });
    expect(w.zipPath).toBe(`${dest}.zip`);
    expect(existsSync(join(dest, 'data/synthetic.csv'))).toBe(false);
    const v = verifyBundle(w.zipPath!);
    expect(v.failures).toEqual([]);
    expect(v.summary?.approvals.map((a) => a.printedName)).toEqual(['Rita Reviewer', 'Raj Reviewer']);
    expect(pythonVerify(w.zipPath!)).toMatchObject({ status: 0 });
  });
});

describe('writeBundle + verifyBundle: images', () => {
  it('writes numbered DICOM and PNG whose pixels hash to the dataset; both verifiers agree; dciodvfy and pydicom read them', async () => {
    const { input } = await imagesBuilt(8);
    const dest = join(tempDir(), 'bundle');
    writeBundle(dest, input, { zip: true });
    expect(readdirSync(join(dest, 'data/images')).sort()).toEqual(['0001.dcm', '0001.png', '0002.dcm', '0002.png', '0003.dcm', '0003.png']);
    expect(verifyBundle(dest).failures).toEqual([]);
    expect(verifyBundle(`${dest}.zip`).failures).toEqual([]);
    expect(pythonVerify(dest)).toMatchObject({ status: 0 });
    if (need('dciodvfy')) {
      const { out } = run('dciodvfy', [join(dest, 'data/images/0002.dcm')]);
      expect(out.split('\n').filter((l) => l.startsWith('Error')), out).toEqual([]);
    }
    if (need('pydicom')) {
      const r = run(PYTHON, ['-c', 'import sys, pydicom; d = pydicom.dcmread(sys.argv[1]); print(d.Rows, d.Columns, int(d.pixel_array.sum()))', join(dest, 'data/images/0001.dcm')]);
      const pixels = phantom(33, 8, 1).pixels;
      expect(r.out.trim()).toBe(`33 33 ${[...pixels].reduce((a, b) => a + b, 0)}`);
    }
  });

  it('16-bit images hash as the store hashes their Uint16Array buffers', async () => {
    const { input } = await imagesBuilt(16);
    const dest = join(tempDir(), 'bundle');
    writeBundle(dest, input);
    expect(verifyBundle(dest).ok).toBe(true);
    expect(pythonVerify(dest)).toMatchObject({ status: 0 });
  });
});

describe('the destination and the paths', () => {
  it('refuses a folder that is not empty, a file, a symlink and a missing parent, and writes nothing', () => {
    const { input } = tableBuilt({ rows: 5 });
    const root = tempDir();
    mkdirSync(join(root, 'full'));
    writeFileSync(join(root, 'full/keep.txt'), 'mine');
    writeFileSync(join(root, 'file'), 'mine');
    mkdirSync(join(root, 'real'));
    symlinkSync(join(root, 'real'), join(root, 'link'));
    expect(refusal(() => writeBundle(join(root, 'full'), input))).toMatch(/is not empty/);
    expect(refusal(() => writeBundle(join(root, 'file'), input))).toMatch(/is a file, not a folder/);
    expect(refusal(() => writeBundle(join(root, 'link'), input))).toMatch(/symbolic link/);
    expect(refusal(() => writeBundle(join(root, 'missing/bundle'), input))).toMatch(/does not exist/);
    expect(readdirSync(join(root, 'full'))).toEqual(['keep.txt']);
    expect(readdirSync(join(root, 'real'))).toEqual([]);
    expect(readdirSync(root).sort()).toEqual(['file', 'full', 'link', 'real']);
    // A dry run checks without making the folder.
    expect(prepareDestination(join(root, 'new'), { dryRun: true }).created).toBe(false);
    expect(existsSync(join(root, 'new'))).toBe(false);
  });

  it('an existing empty folder is fine; a zip that already exists is refused and the folder is left empty', () => {
    const { input } = tableBuilt({ rows: 5 });
    const root = tempDir();
    mkdirSync(join(root, 'empty'));
    writeFileSync(join(root, 'empty.zip'), 'an older export');
    expect(refusal(() => writeBundle(join(root, 'empty'), input, { zip: true }))).toMatch(/already exists/);
    expect(readdirSync(join(root, 'empty'))).toEqual([]);
    expect(readFileSync(join(root, 'empty.zip'), 'utf8')).toBe('an older export');
    expect(writeBundle(join(root, 'empty'), input).dir).toBe(join(root, 'empty'));
  });

  it.each(['../x', '/etc/x', 'a/../../b', 'C:\\x', 'a\\b', 'a//b', './a', 'a/', '', 'a\0b', 'a\nb'])('refuses the unsafe path %j', (p) => {
    expect(refusal(() => assertSafeRelativePath(p))).toMatch(/would not stay inside the bundle folder/);
  });

  it('accepts the bundle’s own paths', () => {
    for (const p of ['manifest.json', 'data/images/0001.dcm', 'card/card.pdf']) expect(() => assertSafeRelativePath(p)).not.toThrow();
  });
});

describe('writeBundle refuses an inconsistent input before writing anything', () => {
  const cases: [string, (b: ReturnType<typeof tableBuilt>) => void, RegExp][] = [
    ['rows that do not hash to the dataset', (b) => void (b.input.table!.rows[3]![2] = 'changed'), /do not hash to the dataset version’s recorded hash/],
    ['a spec that is not the approved one', (b) => void (b.input.specContent = `${b.input.specContent} `), /not the spec version that was approved/],
    ['a card that is not the approved one', (b) => void (b.input.cardContent = '{}'), /not the card that was approved/],
    ['a report for another result', (b) => void (b.input.report.json = JSON.stringify({ resultSha256: '0'.repeat(64) })), /not the report of the approved validation result/],
    ['approvals that would not verify', (b) => void (b.input.approvals.approvals[0]!.payload.comment = 'edited after signing'), /signature of Rita Reviewer does not verify/],
    ['too few approvals', (b) => void (b.input.approvals.approvals = []), /needs 1 approval/],
  ];
  it.each(cases)('%s', (_name, spoil, message) => {
    const built = tableBuilt({ rows: 20 });
    spoil(built);
    const dest = join(tempDir(), 'bundle');
    expect(refusal(() => writeBundle(dest, built.input, { zip: true }))).toMatch(message);
    expect(existsSync(dest)).toBe(false);
    expect(existsSync(`${dest}.zip`)).toBe(false);
  });

  it('a zip with a clock outside 1980–2099 is refused before the folder is made', () => {
    const { input } = tableBuilt({ rows: 5 });
    const dest = join(tempDir(), 'bundle');
    expect(refusal(() => writeBundle(dest, { ...input, now: new Date('1970-01-02T00:00:00Z') }, { zip: true }))).toMatch(/clock says 1970/);
    expect(existsSync(dest)).toBe(false);
  });
});

describe('writing files: exclusive, never through a symlink, undone on failure', () => {
  it('a file that already exists is never overwritten, and what was written is taken away again', () => {
    const dest = tempDir();
    const made: Made[] = [];
    writeExclusive(dest, 'data/images/0001.dcm', Uint8Array.of(1, 2, 3), made);
    writeExclusive(dest, 'data/synthetic.csv', Uint8Array.of(4), made);
    expect(() => writeExclusive(dest, 'data/synthetic.csv', Uint8Array.of(5), made)).toThrow(/EEXIST/);
    expect([...readFileSync(join(dest, 'data/synthetic.csv'))]).toEqual([4]);
    removeMade(made);
    expect(readdirSync(dest)).toEqual([]);
  });

  it('a symlinked folder under the destination is refused and nothing is written through it', () => {
    const dest = tempDir();
    const outside = tempDir();
    symlinkSync(outside, join(dest, 'data'));
    expect(refusal(() => writeExclusive(dest, 'data/synthetic.csv', Uint8Array.of(1), []))).toMatch(/symbolic link/);
    symlinkSync(join(outside, 'target'), join(dest, 'approvals.json'));
    expect(() => writeExclusive(dest, 'approvals.json', Uint8Array.of(1), [])).toThrow(/EEXIST/);
    expect(readdirSync(outside)).toEqual([]);
  });
});

describe('airlock verify', () => {
  afterEach(() => {
    process.exitCode = undefined;
    vi.restoreAllMocks();
  });

  async function verifyCli(args: string[]): Promise<string> {
    let out = '';
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      out += String(chunk);
      return true;
    });
    const program = new Command('airlock').exitOverride();
    addVerifyCommand(program);
    await program.parseAsync(['verify', ...args], { from: 'user' });
    vi.restoreAllMocks();
    return out;
  }

  it('prints what the bundle is, who approved it and when, and ✓ verified, with exit code 0', async () => {
    const { input } = tableBuilt({ rows: 10 });
    const dest = join(tempDir(), 'bundle');
    writeBundle(dest, input);
    const out = await verifyCli([dest]);
    expect(out).toContain(`dataset sha256 ${input.dataset.sha256}`);
    expect(out).toContain('release tier: model development (needs 1 approval)');
    expect(out).toContain('signed by Rita Reviewer (rita) on 2026-11-22 10:10:30 UTC: Approved for model development');
    expect(out).toMatch(/✓ verified \(10 files, 3 signatures\)\n$/);
    expect(process.exitCode).toBe(0);
  });

  it('prints one line per failure and exits 1; --json prints the verification', async () => {
    const { input } = tableBuilt({ rows: 10 });
    const dest = join(tempDir(), 'bundle');
    writeBundle(dest, input);
    writeFileSync(join(dest, 'extra.txt'), 'hello');
    const out = await verifyCli([dest]);
    expect(out).toContain('✗ extra.txt: this file is not listed in the manifest\n');
    expect(out).toContain('✗ verification failed: 1 problem');
    expect(process.exitCode).toBe(1);
    const json = JSON.parse(await verifyCli([dest, '--json'])) as { ok: boolean; failures: { file: string }[] };
    expect(json.ok).toBe(false);
    expect(json.failures.map((f) => f.file)).toEqual(['extra.txt']);
  });
});
