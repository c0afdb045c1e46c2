// SQLite replays a write-ahead log only up to its first bad frame and silently ignores the rest, so one damaged
// byte in the -wal file would drop every commit after it without a word. Before opening, the log is read as SQLite
// will read it (https://www.sqlite.org/fileformat2.html#walformat): a bad frame followed by frames that are still
// this log's own (its salts, a checksum chain that resumes) is damage, not the torn tail a crash leaves.
import { closeSync, existsSync, fstatSync, openSync, readSync } from 'node:fs';

const HEADER = 32;
const FRAME_HEADER = 24;
const MAGIC_LE = 0x377f0682;
const MAGIC_BE = 0x377f0683;

export interface WalDamage {
  /** 1-based number of the first frame SQLite would stop at; 0 for the log's header. */
  badFrame: number;
  /** Frames after it that belong to this log, and the commits among them SQLite would drop (-1: unknown). */
  laterFrames: number;
  laterCommits: number;
}

type Sums = [number, number];

// SQLite's WAL checksum: over 32-bit words in pairs, s0 += x0 + s1, s1 += x1 + s0 (mod 2^32).
function checksum(buf: Buffer, start: number, end: number, bigEndian: boolean, s: Sums): Sums {
  let [s0, s1] = s;
  for (let i = start; i < end; i += 8) {
    const x0 = bigEndian ? buf.readUInt32BE(i) : buf.readUInt32LE(i);
    const x1 = bigEndian ? buf.readUInt32BE(i + 4) : buf.readUInt32LE(i + 4);
    s0 = (s0 + x0 + s1) >>> 0;
    s1 = (s1 + x1 + s0) >>> 0;
  }
  return [s0, s1];
}

/** Reads the log beside `dbPath`; null when there is none, it is empty, or SQLite will replay every frame of it. */
export function walDamage(dbPath: string): WalDamage | null {
  const path = `${dbPath}-wal`;
  if (!existsSync(path)) return null;
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    if (size < HEADER) return null;
    const head = Buffer.alloc(HEADER);
    readSync(fd, head, 0, HEADER, 0);
    const magic = head.readUInt32BE(0);
    const pageSize = head.readUInt32BE(8);
    const frameSize = FRAME_HEADER + pageSize;
    const frames = Math.floor((size - HEADER) / frameSize);
    // Sectors are written whole, so a header that is not a log's, or whose checksum fails, was damaged after it was
    // written — and SQLite would then ignore every frame. It matters when frames of this log follow it.
    if (!(magic === MAGIC_LE || magic === MAGIC_BE) || pageSize < 512 || pageSize > 65536 || (pageSize & (pageSize - 1)) !== 0) {
      return size >= HEADER + FRAME_HEADER + 512 ? { badFrame: 0, laterFrames: -1, laterCommits: -1 } : null;
    }
    const bigEndian = magic === MAGIC_BE;
    const salts = [head.readUInt32BE(16), head.readUInt32BE(20)];
    let sums = checksum(head, 0, 24, bigEndian, [0, 0]);
    const frame = Buffer.alloc(frameSize);
    if (sums[0] !== head.readUInt32BE(24) || sums[1] !== head.readUInt32BE(28)) {
      if (frames === 0) return null;
      readSync(fd, frame, 0, frameSize, HEADER);
      // The frames' salts are the header's as written (a flipped salt shows as the only difference).
      const own = [frame.readUInt32BE(8), frame.readUInt32BE(12)];
      const firstCommit = frame.readUInt32BE(4) !== 0 ? 1 : 0;
      const later = laterOwnFrames(fd, 0, frames, frameSize, own, bigEndian, frame);
      return later.commits + firstCommit >= 1 ? { badFrame: 0, laterFrames: later.frames + 1, laterCommits: later.commits + firstCommit } : null;
    }
    for (let f = 0; f < frames; f++) {
      readSync(fd, frame, 0, frameSize, HEADER + f * frameSize);
      const mine = frame.readUInt32BE(8) === salts[0] && frame.readUInt32BE(12) === salts[1];
      const next = checksum(frame, FRAME_HEADER, frameSize, bigEndian, checksum(frame, 0, 8, bigEndian, sums));
      if (mine && next[0] === frame.readUInt32BE(16) && next[1] === frame.readUInt32BE(20)) {
        sums = next;
        continue;
      }
      // Frame f is where SQLite stops. Frames of this log that follow, with their checksum chain resuming from
      // the stored sums, can only be there if the log went on being written past f: f was damaged afterwards.
      // A power loss can tear a frame of the last, unsynced transaction while its later frames (even its commit)
      // reached the disk; two later commits mean a whole transaction was synced after the bad frame: damage.
      const wasCommit = nearly(frame, salts) && frame.readUInt32BE(4) !== 0;
      const resumed = laterOwnFrames(fd, f, frames, frameSize, salts, bigEndian, frame);
      return resumed.commits >= 2 || (wasCommit && resumed.commits >= 1) ? { badFrame: f + 1, laterFrames: resumed.frames, laterCommits: resumed.commits } : null;
    }
    return null;
  } finally {
    closeSync(fd);
  }
}

function laterOwnFrames(fd: number, bad: number, frames: number, frameSize: number, salts: number[], bigEndian: boolean, scratch: Buffer): { frames: number; commits: number } {
  let prev: Sums = [scratch.readUInt32BE(16), scratch.readUInt32BE(20)];
  let count = 0;
  let commits = 0;
  for (let f = bad + 1; f < frames; f++) {
    readSync(fd, scratch, 0, frameSize, HEADER + f * frameSize);
    const stored: Sums = [scratch.readUInt32BE(16), scratch.readUInt32BE(20)];
    const mine = scratch.readUInt32BE(8) === salts[0] && scratch.readUInt32BE(12) === salts[1];
    const sums = checksum(scratch, FRAME_HEADER, frameSize, bigEndian, checksum(scratch, 0, 8, bigEndian, prev));
    if (mine && sums[0] === stored[0] && sums[1] === stored[1]) {
      count++;
      if (scratch.readUInt32BE(4) !== 0) commits++;
    }
    prev = stored;
  }
  return { frames: count, commits };
}

// This log's frame with at most a byte's worth of its salts flipped, not a frame left from the log's previous round
// (whose second salt is random): its commit mark can be believed.
function nearly(frame: Buffer, salts: number[]): boolean {
  const bits = (x: number) => {
    let n = 0;
    for (let v = x >>> 0; v; v &= v - 1) n++;
    return n;
  };
  return bits(frame.readUInt32BE(8) ^ (salts[0] ?? 0)) + bits(frame.readUInt32BE(12) ^ (salts[1] ?? 0)) <= 8;
}
