// The ingest bench's memory figures: each side's child reports its own peak, not the bench's pages that fork
// copied into it (getrusage's maxRSS did, so a child of a large bench process reported the bench's size).
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers';

const ROOT = process.cwd();
const BALLAST_MB = 400;

describe('bench peak memory of a child', () => {
  it('leaves out the parent: both sides report well under a 400 MB parent', () => {
    const ballast = Buffer.alloc(BALLAST_MB * 1024 * 1024, 7); // resident in this process when the children fork
    const dir = tempDir();
    const script = join(dir, 'peak.ts');
    writeFileSync(script, `import { peakRssMb } from ${JSON.stringify(join(ROOT, 'bench', 'peak-rss.ts'))};\nprocess.stdout.write(String(peakRssMb()));\n`);
    const node = spawnSync(process.execPath, ['--import', 'tsx', script], { cwd: ROOT, encoding: 'utf8' });
    expect(node.stderr).toBe('');
    const empty = join(dir, 'empty');
    mkdirSync(empty);
    const py = spawnSync('/usr/bin/python3', [join(ROOT, 'bench', 'read_pydicom.py'), empty], { encoding: 'utf8' });
    expect(py.status, py.stderr).toBe(0);
    const pyPeak = (JSON.parse(py.stdout) as { peakRssMb: number }).peakRssMb;
    expect(ballast[ballast.length - 1]).toBe(7);
    expect(Number(node.stdout)).toBeGreaterThan(10);
    expect(Number(node.stdout)).toBeLessThan(BALLAST_MB / 2);
    expect(pyPeak).toBeGreaterThan(5);
    expect(pyPeak).toBeLessThan(BALLAST_MB / 2);
  });
});
