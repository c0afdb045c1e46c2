// The key-slot file's lock across processes: no two holders at once (no lost update), a killed holder's lock is
// taken over, and a lock released while another process looked at it is never removed from under its next holder.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { KEYSLOT_FILE, withKeySlotLock } from '../../electron/core/store/keyslots';
import { tempDir } from '../helpers';

function counting(dir: string, n: number): Promise<number | null> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(process.cwd(), 'test/store/keyslot-lock-child.ts'), dir, String(n)], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

// A pid that no live process has: a child that has already exited.
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(r.stdout);
}

describe('the key-slot lock', () => {
  it('lets one process at a time through: six processes adding 150 each leave exactly 900', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'counter'), '0');
    const codes = await Promise.all(Array.from({ length: 6 }, () => counting(dir, 150)));
    expect(codes).toEqual(Array(6).fill(0));
    expect(readFileSync(join(dir, 'counter'), 'utf8')).toBe('900');
    expect(existsSync(join(dir, `${KEYSLOT_FILE}.lock`))).toBe(false);
  }, 60_000);

  it('takes over the lock of a killed holder, and past a breaker left by a killed breaker', () => {
    const dir = tempDir();
    const path = join(dir, KEYSLOT_FILE);
    writeFileSync(`${path}.lock`, String(deadPid()));
    expect(withKeySlotLock(path, () => 'in')).toBe('in');
    expect(existsSync(`${path}.lock`)).toBe(false);

    writeFileSync(`${path}.lock`, String(deadPid()));
    writeFileSync(`${path}.lock.break`, String(deadPid()));
    const old = new Date(Date.now() - 10_000);
    utimesSync(`${path}.lock.break`, old, old);
    expect(withKeySlotLock(path, () => 'in again')).toBe('in again');
    expect(existsSync(`${path}.lock`) || existsSync(`${path}.lock.break`)).toBe(false);
  });

  it('waits for a live holder, then says the workspace is busy', () => {
    const dir = tempDir();
    const path = join(dir, KEYSLOT_FILE);
    // This test's own process is alive: its pid in the lock is a live holder that never lets go.
    writeFileSync(`${path}.lock`, String(process.ppid));
    const t0 = Date.now();
    expect(() => withKeySlotLock(path, () => 'never')).toThrow(expect.objectContaining({ code: 'WORKSPACE_BUSY' }) as Error);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(9_000);
    expect(readFileSync(`${path}.lock`, 'utf8')).toBe(String(process.ppid));
  }, 30_000);
});
