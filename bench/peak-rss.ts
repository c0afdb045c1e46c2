// A child process's own peak memory. On Linux, getrusage's maxRSS also counts the parent's pages, copied at fork
// before exec, so a child of a 400 MB bench reports at least 400 MB; VmHWM is the high-water mark of the child's
// own address space. read_pydicom.py measures the reference side the same way.
import { readFileSync } from 'node:fs';

export function peakRssMb(): number {
  try {
    const hwm = /VmHWM:\s+(\d+)/.exec(readFileSync('/proc/self/status', 'utf8'));
    if (hwm?.[1]) return Number(hwm[1]) / 1024;
  } catch {
    // not Linux: getrusage is the best there is
  }
  return process.resourceUsage().maxRSS / 1024;
}
