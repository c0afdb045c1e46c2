"""The reference side of the ingest benchmark: pydicom reads every file, decodes its pixels and hashes
the bytes (what Airlock does before storing), and reports time and peak memory as JSON."""
import sys, os, time, json, hashlib, resource
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
print(json.dumps({"files": len(files), "bytes": total, "seconds": elapsed, "peakRssMb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
