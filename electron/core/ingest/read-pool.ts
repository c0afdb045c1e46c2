// Read buffers reused across an import. A buffer per file (fs.readFile) leaves one garbage ArrayBuffer per file that
// V8 frees only at its next full GC, after tens of MB have piled up: for a 300-slice CT series that was ~30 MB of the
// import's peak memory (bench: ingest). A file's slab goes back to the pool once the file is stored or refused.
import { open } from 'node:fs/promises';

/** Slabs grow in these steps, so files whose headers differ by a few bytes share them. */
const SLAB_STEP = 64 * 1024;
/** Larger files (multi-frame, mammography) get a buffer of their own: pooling them would hold too much. */
const POOLED_MAX = 8 * 1024 * 1024;
/** Bytes kept in free slabs between files: a batch and its read-ahead of CT or MR slices fit in it. */
const FREE_MAX_BYTES = 16 * 1024 * 1024;

export class ReadPool {
  private readonly free: ArrayBuffer[] = [];
  private readonly issued = new WeakSet<ArrayBuffer>();

  /** The whole file, in a fresh view on a pooled slab (a fresh view, so caches keyed by the bytes never see reuse). */
  async read(path: string): Promise<Uint8Array> {
    const handle = await open(path, 'r');
    try {
      const { size } = await handle.stat();
      // Size 0 is also what some special files report: read those to their end, as readFile does.
      if (size === 0 || size > POOLED_MAX) return await handle.readFile();
      const view = new Uint8Array(this.take(size), 0, size);
      try {
        let at = 0;
        while (at < size) {
          const { bytesRead } = await handle.read(view, at, size - at, at);
          // A file that shrank since its size was read: what it holds now.
          if (bytesRead === 0) return view.subarray(0, at);
          at += bytesRead;
        }
        return view;
      } catch (err) {
        this.release(view);
        throw err;
      }
    } finally {
      await handle.close();
    }
  }

  /** Hands a file's bytes back once nothing reads them any more; bytes this pool did not issue are left alone. */
  release(bytes: Uint8Array): void {
    const slab = bytes.buffer;
    if (!(slab instanceof ArrayBuffer) || !this.issued.has(slab) || this.free.includes(slab)) return;
    if (this.free.reduce((s, b) => s + b.byteLength, 0) + slab.byteLength > FREE_MAX_BYTES) return;
    this.free.push(slab);
  }

  private take(size: number): ArrayBuffer {
    let best = -1;
    for (const [i, b] of this.free.entries()) {
      if (b.byteLength >= size && (best < 0 || b.byteLength < (this.free[best]?.byteLength ?? Infinity))) best = i;
    }
    if (best >= 0) return this.free.splice(best, 1)[0] as ArrayBuffer;
    // allocUnsafeSlow: a slab of its own, not zero-filled (every byte handed out is read from the file first).
    const slab = Buffer.allocUnsafeSlow(Math.ceil(size / SLAB_STEP) * SLAB_STEP).buffer;
    this.issued.add(slab);
    return slab;
  }
}
