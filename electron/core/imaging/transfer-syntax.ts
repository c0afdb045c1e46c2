// Transfer syntaxes Airlock knows by name, and which of them it can decode. Unknown or undecodable syntaxes
// still parse (metadata is readable); decoding the pixels is what fails, with the syntax named.

export type Codec = 'native' | 'rle' | 'jpeg-baseline' | 'jpeg-lossless' | 'jpeg-ls' | 'j2k';

export interface TransferSyntax {
  uid: string;
  name: string;
  /** How pixel data is decoded; null when Airlock has no decoder for it. */
  codec: Codec | null;
  /** Explicit VR Big Endian is the only syntax whose pixel words are big-endian. */
  bigEndian: boolean;
  lossy: boolean;
}

type Row = [uid: string, name: string, codec: Codec | null, lossy?: boolean];

const ROWS: Row[] = [
  ['1.2.840.10008.1.2', 'Implicit VR Little Endian', 'native'],
  ['1.2.840.10008.1.2.1', 'Explicit VR Little Endian', 'native'],
  ['1.2.840.10008.1.2.1.98', 'Encapsulated Uncompressed Explicit VR Little Endian', null],
  ['1.2.840.10008.1.2.1.99', 'Deflated Explicit VR Little Endian', 'native'],
  ['1.2.840.10008.1.2.2', 'Explicit VR Big Endian', 'native'],
  ['1.2.840.10008.1.2.5', 'RLE Lossless', 'rle'],
  ['1.2.840.10008.1.2.4.50', 'JPEG Baseline (Process 1)', 'jpeg-baseline', true],
  // Process 2 is 8-bit and libjpeg-turbo decodes it; process 4 (12-bit) is refused per frame after reading the SOF.
  ['1.2.840.10008.1.2.4.51', 'JPEG Extended (Process 2 & 4)', 'jpeg-baseline', true],
  ['1.2.840.10008.1.2.4.57', 'JPEG Lossless, Non-Hierarchical (Process 14)', 'jpeg-lossless'],
  ['1.2.840.10008.1.2.4.70', 'JPEG Lossless, Non-Hierarchical, First-Order Prediction (Process 14 [Selection Value 1])', 'jpeg-lossless'],
  ['1.2.840.10008.1.2.4.80', 'JPEG-LS Lossless', 'jpeg-ls'],
  ['1.2.840.10008.1.2.4.81', 'JPEG-LS Lossy (Near-Lossless)', 'jpeg-ls', true],
  ['1.2.840.10008.1.2.4.90', 'JPEG 2000 Image Compression (Lossless Only)', 'j2k'],
  ['1.2.840.10008.1.2.4.91', 'JPEG 2000 Image Compression', 'j2k', true],
  ['1.2.840.10008.1.2.4.92', 'JPEG 2000 Part 2 Multi-component Image Compression (Lossless Only)', null],
  ['1.2.840.10008.1.2.4.93', 'JPEG 2000 Part 2 Multi-component Image Compression', null, true],
  ['1.2.840.10008.1.2.4.94', 'JPIP Referenced', null],
  ['1.2.840.10008.1.2.4.95', 'JPIP Referenced Deflate', null],
  ['1.2.840.10008.1.2.4.100', 'MPEG2 Main Profile / Main Level', null, true],
  ['1.2.840.10008.1.2.4.101', 'MPEG2 Main Profile / High Level', null, true],
  ['1.2.840.10008.1.2.4.102', 'MPEG-4 AVC/H.264 High Profile / Level 4.1', null, true],
  ['1.2.840.10008.1.2.4.103', 'MPEG-4 AVC/H.264 BD-compatible High Profile / Level 4.1', null, true],
  ['1.2.840.10008.1.2.4.104', 'MPEG-4 AVC/H.264 High Profile / Level 4.2 For 2D Video', null, true],
  ['1.2.840.10008.1.2.4.105', 'MPEG-4 AVC/H.264 High Profile / Level 4.2 For 3D Video', null, true],
  ['1.2.840.10008.1.2.4.106', 'MPEG-4 AVC/H.264 Stereo High Profile / Level 4.2', null, true],
  ['1.2.840.10008.1.2.4.107', 'HEVC/H.265 Main Profile / Level 5.1', null, true],
  ['1.2.840.10008.1.2.4.108', 'HEVC/H.265 Main 10 Profile / Level 5.1', null, true],
  ['1.2.840.10008.1.2.4.110', 'JPEG XL Lossless', null],
  ['1.2.840.10008.1.2.4.111', 'JPEG XL JPEG Recompression', null],
  ['1.2.840.10008.1.2.4.112', 'JPEG XL', null, true],
  ['1.2.840.10008.1.2.4.201', 'High-Throughput JPEG 2000 Image Compression (Lossless Only)', null],
  ['1.2.840.10008.1.2.4.202', 'High-Throughput JPEG 2000 with RPCL Options Image Compression (Lossless Only)', null],
  ['1.2.840.10008.1.2.4.203', 'High-Throughput JPEG 2000 Image Compression', null, true],
  ['1.2.840.10008.1.2.4.52', 'JPEG Extended (Process 3 & 5) (Retired)', null, true],
  ['1.2.840.10008.1.2.4.53', 'JPEG Spectral Selection, Non-Hierarchical (Process 6 & 8) (Retired)', null, true],
  ['1.2.840.10008.1.2.4.55', 'JPEG Full Progression, Non-Hierarchical (Process 10 & 12) (Retired)', null, true],
  ['1.2.840.10008.1.2.4.58', 'JPEG Lossless, Non-Hierarchical (Process 15) (Retired)', null],
];

const BY_UID = new Map(ROWS.map(([uid, name, codec, lossy]) => [uid, { uid, name, codec, lossy: lossy ?? false, bigEndian: uid === '1.2.840.10008.1.2.2' }]));

export function transferSyntax(uid: string): TransferSyntax {
  return BY_UID.get(uid) ?? { uid, name: 'Unknown', codec: null, bigEndian: false, lossy: false };
}
