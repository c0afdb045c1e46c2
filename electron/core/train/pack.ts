// Packs a JSON-like value holding ArrayBuffers (checkpoints, trained weights) into one Buffer for the store:
// a 4-byte header length, the JSON with each buffer replaced by {"$bin": i, "bytes": n}, then the bytes.
type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

export function pack(value: unknown): Buffer {
  const blobs: Buffer[] = [];
  const walk = (v: unknown): Json => {
    if (v instanceof ArrayBuffer) {
      blobs.push(Buffer.from(v));
      return { $bin: blobs.length - 1, bytes: v.byteLength };
    }
    if (Array.isArray(v)) return v.map(walk);
    if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    return v as Json;
  };
  const header = Buffer.from(JSON.stringify(walk(value)), 'utf8');
  const length = Buffer.alloc(4);
  length.writeUInt32LE(header.length, 0);
  return Buffer.concat([length, header, ...blobs]);
}

export function unpack<T>(buf: Buffer): T {
  const headerLength = buf.readUInt32LE(0);
  const header = JSON.parse(buf.subarray(4, 4 + headerLength).toString('utf8')) as Json;
  // Sizes by index first: the bytes follow in index order, whatever order JSON.parse gives the keys.
  const sizes: number[] = [];
  const collect = (v: Json): void => {
    if (Array.isArray(v)) v.forEach(collect);
    else if (v !== null && typeof v === 'object') {
      if (typeof v.$bin === 'number' && typeof v.bytes === 'number') sizes[v.$bin] = v.bytes;
      else Object.values(v).forEach(collect);
    }
  };
  collect(header);
  let offset = 4 + headerLength;
  const blobs = sizes.map((n) => {
    const slice = buf.subarray(offset, offset + n);
    offset += n;
    return slice.buffer.slice(slice.byteOffset, slice.byteOffset + slice.byteLength) as ArrayBuffer;
  });
  const rebuild = (v: Json): unknown => {
    if (Array.isArray(v)) return v.map(rebuild);
    if (v !== null && typeof v === 'object') {
      if (typeof v.$bin === 'number' && typeof v.bytes === 'number') return blobs[v.$bin];
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, rebuild(x)]));
    }
    return v;
  };
  return rebuild(header) as T;
}
