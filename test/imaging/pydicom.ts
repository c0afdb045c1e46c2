// The reference decoder for the pixel tests: Debian's pydicom (with GDCM for JPEG-LS and JPEG 2000) run once
// per suite, for all files at once, so the suite pays Python's start-up cost a single time.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';

// Debian's interpreter, not the first python3 on PATH (which may lack pydicom); overridable for other setups.
export const PYTHON = process.env.AIRLOCK_TEST_PYTHON ?? '/usr/bin/python3';

export interface PydicomRequest {
  path: string;
  frame?: number;
  /** 'stored' (pixel_array), 'ybr-to-rgb' (pixel_array through pydicom's YBR_FULL→RGB), or 'palette' (apply_color_lut). */
  mode?: 'stored' | 'ybr-to-rgb' | 'palette';
  /** Also return the values (as little-endian int32), for tolerance comparisons. */
  values?: boolean;
}

export interface PydicomResult {
  shape?: number[];
  sha256?: string;
  values?: Int32Array;
  error?: string;
}

const SCRIPT = String.raw`
import sys, json, hashlib, base64, warnings
warnings.simplefilter('ignore')
import numpy as np, pydicom
from pydicom.pixel_data_handlers.util import convert_color_space, apply_color_lut
out = []
cache = {}
for r in json.load(sys.stdin):
    try:
        if r['path'] not in cache:
            ds = pydicom.dcmread(r['path'])
            cache[r['path']] = (ds, ds.pixel_array)
        ds, arr = cache[r['path']]
        if int(ds.get('NumberOfFrames', 1) or 1) > 1:
            arr = arr[r.get('frame', 0)]
        mode = r.get('mode', 'stored')
        if mode == 'ybr-to-rgb':
            arr = convert_color_space(arr, 'YBR_FULL', 'RGB')
        elif mode == 'palette':
            arr = apply_color_lut(arr, ds)
            if arr.dtype == np.uint16:
                arr = arr >> 8
        a = np.ascontiguousarray(arr.astype('<i4'))
        e = {'shape': list(arr.shape), 'sha256': hashlib.sha256(a.tobytes()).hexdigest()}
        if r.get('values'):
            e['values'] = base64.b64encode(a.tobytes()).decode()
        out.append(e)
    except Exception as ex:
        out.append({'error': type(ex).__name__ + ': ' + str(ex)})
print('AIRLOCK-JSON:' + json.dumps(out))
`;

/** Whether /usr/bin/python3 can import pydicom and numpy (and which pixel handlers it has). */
export function pydicomStatus(): { ok: boolean; detail: string } {
  if (!existsSync(PYTHON)) return { ok: false, detail: `${PYTHON} does not exist` };
  const r = spawnSync(PYTHON, ['-c', 'import pydicom, numpy; print(pydicom.__version__, [h.HANDLER_NAME for h in pydicom.config.pixel_data_handlers if h.is_available()])'], { encoding: 'utf8' });
  return r.status === 0 ? { ok: true, detail: r.stdout.trim() } : { ok: false, detail: r.stderr.trim().split('\n').pop() ?? 'import failed' };
}

export function pydicomPixels(requests: PydicomRequest[]): PydicomResult[] {
  const r = spawnSync(PYTHON, ['-c', SCRIPT], { input: JSON.stringify(requests), encoding: 'utf8', maxBuffer: 512 * 1024 * 1024 });
  // GDCM writes warnings to stdout too, so the JSON travels on its own marked line.
  const line = r.stdout.split('\n').find((l) => l.startsWith('AIRLOCK-JSON:'));
  if (!line) throw new Error(`pydicom run failed (exit ${r.status}): ${r.stderr.slice(-2000)}`);
  const raw = JSON.parse(line.slice('AIRLOCK-JSON:'.length)) as { shape?: number[]; sha256?: string; values?: string; error?: string }[];
  return raw.map((e) => {
    const result: PydicomResult = {};
    if (e.shape) result.shape = e.shape;
    if (e.sha256) result.sha256 = e.sha256;
    if (e.error) result.error = e.error;
    if (e.values) {
      const buf = Buffer.from(e.values, 'base64');
      result.values = new Int32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
    }
    return result;
  });
}

/** sha256 of values as little-endian int32, the same bytes pydicom hashes from arr.astype('<i4'). */
export function int32Sha256(values: ArrayLike<number>): string {
  const a = values instanceof Int32Array ? values : Int32Array.from(values);
  return createHash('sha256').update(new Uint8Array(a.buffer, a.byteOffset, a.byteLength)).digest('hex');
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Infinity;
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs((a[i] as number) - (b[i] as number)));
  return max;
}
