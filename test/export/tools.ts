// The external tools the export tests check files with (dicom3tools' dciodvfy, dcmtk's dcmdump, Debian's
// pydicom): each is skipped loudly when absent outside CI, and required in CI.
import { spawnSync } from 'node:child_process';
import { PYTHON, pydicomStatus } from '../imaging/pydicom';

export const CI = Boolean(process.env.CI);

function onPath(tool: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${tool}`], { encoding: 'utf8' }).status === 0;
}

export const TOOLS = { dciodvfy: onPath('dciodvfy'), dcmdump: onPath('dcmdump'), pydicom: pydicomStatus().ok };

for (const [tool, ok] of Object.entries(TOOLS)) {
  if (!ok && !CI) {
    const how = tool === 'pydicom' ? `Debian's python3-pydicom and python3-numpy under ${PYTHON}` : tool === 'dcmdump' ? 'dcmtk' : 'dicom3tools';
    console.warn(`\n⚠️  SKIPPING the ${tool} checks of the synthetic DICOM files: ${tool} is not available. Install ${how} to run them. In CI they always run.\n`);
  }
}

/** Run a tool when present, or in CI (where a missing tool fails the test). */
export const need = (tool: keyof typeof TOOLS): boolean => TOOLS[tool] || CI;

export function run(cmd: string, args: string[], input?: string): { status: number | null; out: string } {
  const r = spawnSync(cmd, args, { encoding: 'utf8', input, maxBuffer: 64 * 1024 * 1024 });
  if (r.error) throw r.error;
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}
