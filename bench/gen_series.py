"""Writes a synthetic-but-realistic CT series for the ingest benchmark: N slices of 512x512 int16,
Explicit VR Little Endian, new UIDs, smooth anatomy-like content. Usage: gen_series.py OUT_DIR N"""
import sys, os
import numpy as np
import pydicom
from pydicom.dataset import FileDataset, FileMetaDataset
from pydicom.uid import ExplicitVRLittleEndian, generate_uid, CTImageStorage

out, n = sys.argv[1], int(sys.argv[2])
os.makedirs(out, exist_ok=True)
study, series, frame_of_ref = generate_uid(), generate_uid(), generate_uid()
yy, xx = np.mgrid[-256:256, -256:256].astype(np.float32)
rng = np.random.default_rng(7)
for i in range(n):
    body = ((xx / 200) ** 2 + (yy / 160) ** 2) < 1
    organ = ((xx - 60) ** 2 + (yy + 20) ** 2) < (50 + 20 * np.sin(i / 15)) ** 2
    img = np.where(body, 40, -1000) + np.where(organ, 60, 0) + rng.normal(0, 12, xx.shape)
    stored = (img + 1024).clip(0, 4095).astype(np.int16)
    meta = FileMetaDataset()
    meta.MediaStorageSOPClassUID = CTImageStorage
    meta.MediaStorageSOPInstanceUID = generate_uid()
    meta.TransferSyntaxUID = ExplicitVRLittleEndian
    ds = FileDataset(None, {}, file_meta=meta, preamble=b"\0" * 128)
    ds.SOPClassUID, ds.SOPInstanceUID = CTImageStorage, meta.MediaStorageSOPInstanceUID
    ds.StudyInstanceUID, ds.SeriesInstanceUID, ds.FrameOfReferenceUID = study, series, frame_of_ref
    ds.PatientName, ds.PatientID, ds.Modality = "BENCH^PATIENT", "BENCH001", "CT"
    ds.SeriesDescription, ds.SeriesNumber, ds.InstanceNumber = "Bench abdomen", 1, i + 1
    ds.ImagePositionPatient = [-256.0, -256.0, float(i)]
    ds.ImageOrientationPatient = [1, 0, 0, 0, 1, 0]
    ds.PixelSpacing, ds.SliceThickness = [0.7, 0.7], 1.0
    ds.Rows = ds.Columns = 512
    ds.SamplesPerPixel, ds.PhotometricInterpretation = 1, "MONOCHROME2"
    ds.BitsAllocated, ds.BitsStored, ds.HighBit, ds.PixelRepresentation = 16, 12, 11, 1
    ds.RescaleIntercept, ds.RescaleSlope = -1024, 1
    ds.WindowCenter, ds.WindowWidth = 40, 400
    ds.PixelData = stored.tobytes()
    ds.is_little_endian, ds.is_implicit_VR = True, False
    ds.save_as(os.path.join(out, f"slice_{i + 1:04d}.dcm"), write_like_original=False)
