"""The reference side of the ingest benchmark: pydicom reads every file, decodes its pixels and hashes
the bytes (what Airlock does before storing), and reports time and peak memory as JSON."""
import sys, os, re, time, json, hashlib, resource
import pydicom

folder = sys.argv[1]
files = sorted(os.path.join(folder, f) for f in os.listdir(folder))
t0 = time.perf_counter()
total = 0
for path in files:
    with open(path, "rb") as fh:
        data = fh.read()
    hashlib.sha256(data).digest()
    ds = pydicom.dcmread(path)
    ds.pixel_array
    total += len(data)
elapsed = time.perf_counter() - t0


def peak_rss_mb():
    # VmHWM is this program's own peak: ru_maxrss also counts the bench's pages copied at fork, before exec.
    try:
        with open("/proc/self/status") as fh:
            return int(re.search(r"VmHWM:\s+(\d+)", fh.read()).group(1)) / 1024
    except (OSError, AttributeError):
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


print(json.dumps({"files": len(files), "bytes": total, "seconds": elapsed, "peakRssMb": peak_rss_mb()}))
