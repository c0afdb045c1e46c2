#!/usr/bin/python3
"""An independent verifier of an Airlock export bundle (docs/bundle-format.md, format 1).

Uses only the Python standard library (hashlib, json, csv, struct, zipfile) and `cryptography` for Ed25519,
so a bundle can be checked without Airlock. Usage: verify_bundle.py BUNDLE_DIR_OR_ZIP
Exit code 0 if every check holds; otherwise one line per failure, naming the file, and exit code 1.
"""
import base64
import csv
import datetime
import hashlib
import io
import json
import os
import re
import stat
import struct
import sys
import zipfile

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

HEX64 = re.compile(r'^[0-9a-f]{64}$')
IMAGE = re.compile(r'^data/images/(\d{4})\.dcm$')
TIERS = ('internal-prototyping', 'model-development', 'external-sharing')
failures = []


def fail(path, sentence):
    failures.append(f'{path}: {sentence}')


def sha256(data):
    return hashlib.sha256(data).hexdigest()


def canonical(value):
    """RFC 8785 for the values a bundle signs: objects, arrays, strings, integers, booleans and null."""
    if isinstance(value, dict):
        # RFC 8785 sorts keys by UTF-16 code units.
        keys = sorted(value, key=lambda k: k.encode('utf-16-be'))
        return '{' + ','.join(canonical(k) + ':' + canonical(value[k]) for k in keys) + '}'
    if isinstance(value, list):
        return '[' + ','.join(canonical(v) for v in value) + ']'
    if isinstance(value, bool) or value is None:
        return json.dumps(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 2 ** 53:
            return str(int(value))
        return repr(value)
    if isinstance(value, str):
        out = ['"']
        for ch in value:
            if ch == '"':
                out.append('\\"')
            elif ch == '\\':
                out.append('\\\\')
            elif ch in '\b\f\n\r\t':
                out.append({'\b': '\\b', '\f': '\\f', '\n': '\\n', '\r': '\\r', '\t': '\\t'}[ch])
            elif ord(ch) < 0x20:
                out.append('\\u%04x' % ord(ch))
            else:
                out.append(ch)
        out.append('"')
        return ''.join(out)
    raise TypeError(f'cannot canonicalise {type(value).__name__}')


def verify_signature(public_key_b64, value, signature_b64):
    try:
        raw = base64.b64decode(public_key_b64, validate=True)
        sig = base64.b64decode(signature_b64, validate=True)
        if len(raw) != 32 or len(sig) != 64:
            return False
        Ed25519PublicKey.from_public_bytes(raw).verify(sig, canonical(value).encode('utf-8'))
        return True
    except (InvalidSignature, ValueError, TypeError):
        return False


def unsafe(p):
    if not isinstance(p, str) or p == '':
        return 'it is empty'
    if any(ord(c) < 0x20 or 0x7f <= ord(c) <= 0x9f for c in p):
        return 'it contains a control character'
    if '\\' in p:
        return 'it contains a backslash'
    if re.match(r'^[A-Za-z]:', p):
        return 'it starts with a drive letter'
    if p.startswith('/'):
        return 'it is an absolute path'
    if any(s in ('', '.', '..') for s in p.split('/')):
        return 'it has an empty, "." or ".." segment'
    return None


def read_bundle(path):
    files = {}
    if os.path.isdir(path):
        for root, dirs, names in os.walk(path, followlinks=False):
            for name in sorted(dirs + names):
                full = os.path.join(root, name)
                rel = os.path.relpath(full, path).replace(os.sep, '/')
                st = os.lstat(full)
                if stat.S_ISLNK(st.st_mode):
                    fail(rel, 'this is a symbolic link')
                elif unsafe(rel):
                    fail(rel, f'this file name is not safe ({unsafe(rel)})')
                elif stat.S_ISREG(st.st_mode):
                    with open(full, 'rb') as f:
                        files[rel] = f.read()
                elif not stat.S_ISDIR(st.st_mode):
                    fail(rel, 'this is not a plain file')
            dirs[:] = [d for d in dirs if not os.path.islink(os.path.join(root, d))]
    elif os.path.isfile(path):
        try:
            with zipfile.ZipFile(path) as z:
                for info in z.infolist():
                    if info.is_dir():
                        continue
                    if unsafe(info.filename):
                        fail(info.filename, 'this path in the zip is not safe')
                    else:
                        files[info.filename] = z.read(info)
        except (zipfile.BadZipFile, OSError) as e:
            fail(os.path.basename(path), f'it is not a readable zip archive ({e})')
    else:
        fail(path, 'there is no bundle at this path')
    return files


def load_json(files, name):
    if name not in files:
        return None
    try:
        return json.loads(files[name].decode('utf-8'))
    except (UnicodeDecodeError, ValueError):
        fail(name, 'it is not valid JSON')
        return None


def check_manifest(files):
    if 'manifest.json' not in files:
        fail('manifest.json', 'the bundle has no manifest')
        return None
    m = load_json(files, 'manifest.json')
    if not isinstance(m, dict) or m.get('kind') != 'airlock-manifest/1' or m.get('formatVersion') != 1:
        fail('manifest.json', 'it is not an Airlock manifest of format 1')
        return None
    exporter = m.get('exporter') or {}
    unsigned = {k: v for k, v in m.items() if k != 'signature'}
    if not verify_signature(exporter.get('publicKey', ''), unsigned, m.get('signature', '')):
        fail('manifest.json', "the exporter's signature does not verify")
    listed = set()
    for f in m.get('files', []):
        p = f.get('path')
        if unsafe(p):
            fail(str(p), 'the manifest lists an unsafe path')
        elif p == 'manifest.json' or p in listed:
            fail(p, 'the manifest lists this path twice or lists itself')
        else:
            listed.add(p)
            if p not in files:
                fail(p, 'this file is listed in the manifest but is missing')
            elif len(files[p]) != f.get('bytes') or sha256(files[p]) != f.get('sha256'):
                fail(p, 'its size or SHA-256 is not the one in the manifest')
    for p in files:
        if p != 'manifest.json' and p not in listed:
            fail(p, 'this file is not listed in the manifest')
    return m


def check_approvals(files):
    doc = load_json(files, 'approvals.json')
    if doc is None:
        if 'approvals.json' not in files:
            fail('approvals.json', 'the bundle has no approvals')
        return None
    try:
        assert doc['kind'] == 'airlock-approvals/1'
        request, sep, policy, approvals = doc['request'], doc['separation'], doc['policy'], doc['approvals']
        for k in ('datasetSha256', 'specHash', 'resultSha256', 'cardSha256'):
            assert HEX64.match(request[k])
        assert request['tier'] in TIERS and isinstance(policy['requiredApprovals'], int) and policy['requiredApprovals'] >= 1
    except (AssertionError, KeyError, TypeError):
        fail('approvals.json', 'it is not an Airlock approvals document of format 1')
        return None
    tier = request['tier']
    if policy.get('tier') != tier:
        fail('approvals.json', 'the policy is not for the request\'s tier')
    barred = {u.lower() for u in sep['specAuthors'] + sep['runStartedBy'] + [sep['requestedBy']]}
    meaning = 'Approved for ' + tier.replace('-', ' ')
    users, keys, valid = set(), set(), 0
    for a in approvals:
        try:
            p = a['payload']
            who = p['signer']['printedName']
            user = p['signer']['username'].lower()
        except (KeyError, TypeError):
            fail('approvals.json', 'an approval does not have the approval fields')
            continue
        before = len(failures)
        for k in ('datasetSha256', 'specHash', 'resultSha256', 'cardSha256', 'tier'):
            if p.get(k) != request[k]:
                fail('approvals.json', f'the approval signed by {who} does not cover the request\'s {k}')
        if p.get('kind') != 'airlock-approval/1' or p.get('meaning') != meaning:
            fail('approvals.json', f'the approval signed by {who} does not mean "{meaning}"')
        try:
            fingerprint_ok = sha256(base64.b64decode(a['publicKey'], validate=True)) == a['keyFingerprint']
        except (KeyError, ValueError, TypeError):
            fingerprint_ok = False
        if not fingerprint_ok:
            fail('approvals.json', f'the key fingerprint of {who} does not match the public key')
        if not verify_signature(a.get('publicKey', ''), p, a.get('signature', '')):
            fail('approvals.json', f'the signature of {who} does not verify')
        if user in barred:
            fail('approvals.json', f'{who} ({user}) is in separation and cannot approve')
        if user in users or a.get('publicKey') in keys:
            fail('approvals.json', f'{who} ({user}) signed more than once')
        users.add(user)
        keys.add(a.get('publicKey'))
        if len(failures) == before:
            valid += 1
    if valid < policy['requiredApprovals']:
        fail('approvals.json', f'the tier needs {policy["requiredApprovals"]} distinct approvals, there are {valid} valid')
    return doc


def dicom_image(data):
    """(pixel bytes, class label or None) of an Explicit VR Little Endian Part 10 file without sequences, as the
    Airlock writer makes; the class is the text after the last "\nClass: " in Image Comments (0020,4000)."""
    if len(data) < 132 or data[128:132] != b'DICM':
        raise ValueError('not a DICOM Part 10 file')
    long_vrs = {b'OB', b'OD', b'OF', b'OL', b'OV', b'OW', b'SQ', b'SV', b'UC', b'UN', b'UR', b'UT', b'UV'}
    at, values = 132, {}
    while at + 8 <= len(data):
        group, element = struct.unpack_from('<HH', data, at)
        vr = data[at + 4:at + 6]
        if vr in long_vrs:
            length, start = struct.unpack_from('<I', data, at + 8)[0], at + 12
        else:
            length, start = struct.unpack_from('<H', data, at + 6)[0], at + 8
        if length == 0xFFFFFFFF or start + length > len(data):
            raise ValueError('an element has an undefined or overlong length')
        values[(group, element)] = data[start:start + length]
        at = start + length
    if values.get((0x0002, 0x0010), b'').rstrip(b'\0 ') != b'1.2.840.10008.1.2.1':
        raise ValueError('not Explicit VR Little Endian')
    u16 = lambda tag, default=None: struct.unpack('<H', values[tag])[0] if tag in values else default
    rows, cols, bits, spp = u16((0x0028, 0x0010)), u16((0x0028, 0x0011)), u16((0x0028, 0x0100)), u16((0x0028, 0x0002), 1)
    frames = int(values.get((0x0028, 0x0008), b'1').strip(b'\0 ') or b'1')
    pixel = values.get((0x7FE0, 0x0010))
    if None in (rows, cols, bits) or pixel is None or bits not in (8, 16):
        raise ValueError('no rows, columns, bits allocated or pixel data')
    n = rows * cols * spp * frames * bits // 8
    if len(pixel) < n:
        raise ValueError('the pixel data is too short')
    comments = values.get((0x0020, 0x4000), b'').decode('utf-8')
    at = comments.rfind('\nClass: ')
    label = comments[at + len('\nClass: '):].rstrip('\0 ') if at != -1 else None
    return pixel[:n], label


def check_anchors(files, manifest, doc):
    request = doc['request']
    if manifest is not None and (manifest.get('dataset') or {}).get('sha256') != request['datasetSha256']:
        fail('manifest.json', 'the dataset hash it names is not the approved one')
    kind = (manifest or {}).get('dataset', {}).get('kind') or ('table' if 'data/synthetic.jsonl' in files else 'images')
    if kind == 'table':
        jsonl = files.get('data/synthetic.jsonl')
        if jsonl is None:
            fail('data/synthetic.jsonl', 'the table is missing')
            return
        if sha256(jsonl) != request['datasetSha256']:
            fail('data/synthetic.jsonl', 'its SHA-256 is not the approved dataset hash')
        try:
            table = [json.loads(line) for line in jsonl.decode('utf-8').split('\n')]
            assert all(isinstance(r, list) and all(c is None or isinstance(c, str) for c in r) for r in table)
        except (UnicodeDecodeError, ValueError, AssertionError):
            fail('data/synthetic.jsonl', 'it is not JSON Lines of text cells')
            return
        if manifest is not None and manifest['dataset'].get('rows') != len(table) - 1:
            fail('manifest.json', 'its row count is not the JSONL\'s')
        if 'data/synthetic.csv' in files:
            raw = files['data/synthetic.csv']
            try:
                if raw.startswith(b'\xef\xbb\xbf'):
                    raise ValueError('a byte-order mark')
                records = list(csv.reader(io.StringIO(raw.decode('utf-8'), newline='')))
            except (UnicodeDecodeError, ValueError, csv.Error) as e:
                fail('data/synthetic.csv', f'it is not UTF-8 RFC 4180 CSV ({e})')
                return
            protect = lambda c: '' if c is None else ("'" + c if c[:1] in ('=', '+', '-', '@', '\t', '\r') else c)
            expected = [[protect(c) for c in r] for r in table]
            if records != expected:
                bad = next((i for i, (a, b) in enumerate(zip(records, expected)) if a != b), min(len(records), len(expected)))
                fail('data/synthetic.csv', f'record {bad + 1} is not the JSONL row after formula protection')
    else:
        names = sorted(p for p in files if IMAGE.match(p))
        if not names or names != ['data/images/%04d.dcm' % (i + 1) for i in range(len(names))]:
            fail('data/images', 'the images are missing or not numbered 0001.. without gaps')
        else:
            h = hashlib.sha256()
            try:
                for n in names:
                    pixels, label = dicom_image(files[n])
                    h.update(pixels)
                    if label is not None:  # an image's class follows its pixels: NUL "class" NUL label (UTF-8)
                        h.update(('\0class\0' + label).encode('utf-8'))
                if h.hexdigest() != request['datasetSha256']:
                    fail('data/images', "the images' pixels do not hash to the approved dataset hash")
            except (ValueError, struct.error, UnicodeDecodeError) as e:
                fail(n, f'its pixel data cannot be read ({e})')
            if manifest is not None and manifest['dataset'].get('rows') != len(names):
                fail('manifest.json', 'its image count is not the number of images')
    for name, key in (('spec/spec.json', 'specHash'), ('card/card.json', 'cardSha256')):
        if name not in files:
            fail(name, 'this file is missing')
        elif sha256(files[name]) != request[key]:
            fail(name, f'its SHA-256 is not the approved {key}')
    card = load_json(files, 'card/card.json')
    identity = card.get('identity') if isinstance(card, dict) else None
    if 'card/card.json' in files and (not isinstance(identity, dict) or any(identity.get(k) != request[k] for k in ('datasetSha256', 'specHash', 'resultSha256', 'tier'))):
        fail('card/card.json', 'its identity does not name the approved dataset, spec, result and tier')
    report = load_json(files, 'report/validation.json')
    if not isinstance(report, dict) or report.get('resultSha256') != request['resultSha256']:
        fail('report/validation.json', 'its resultSha256 is missing or not the approved result hash')


CHECKPOINT = 'audit/checkpoint.json'
CHECKPOINT_FIELDS = ('kind', 'workspaceId', 'seq', 'headHash', 'ts', 'reason', 'signer', 'signature')
UTC = re.compile(r'^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?Z$')


def utc_seconds(text):
    m = UTC.match(text) if isinstance(text, str) else None
    if not m:
        return None
    y, mo, d, h, mi, s = (int(g) for g in m.groups()[:6])
    days = (datetime.date(y, mo, d) - datetime.date(1970, 1, 1)).days
    return days * 86400 + h * 3600 + mi * 60 + s + float(m.group(7) or 0)


def check_checkpoint(files, manifest, doc):
    """The exporter's signed checkpoint of the audit chain: for this bundle, at its export time, after its approvals."""
    if CHECKPOINT not in files:
        if not (isinstance(manifest, dict) and any(f.get('path') == CHECKPOINT for f in manifest.get('files', []))):
            fail(CHECKPOINT, 'the bundle holds no checkpoint of the audit chain')
        return
    c = load_json(files, CHECKPOINT)
    if c is None:
        return
    ok = isinstance(c, dict) and sorted(c) == sorted(CHECKPOINT_FIELDS) and c['kind'] == 'airlock-audit-checkpoint/1'
    ok = ok and isinstance(c['seq'], int) and not isinstance(c['seq'], bool) and c['seq'] > 0
    ok = ok and isinstance(c['headHash'], str) and HEX64.match(c['headHash']) and isinstance(c['signer'], str) and HEX64.match(c['signer'])
    ok = ok and all(isinstance(c[k], str) for k in ('workspaceId', 'ts', 'reason', 'signature')) and utc_seconds(c['ts']) is not None
    if not ok:
        fail(CHECKPOINT, 'it is not an Airlock audit checkpoint')
        return
    if isinstance(manifest, dict):
        key = (manifest.get('exporter') or {}).get('publicKey', '')
        try:
            fingerprint = sha256(base64.b64decode(key, validate=True))
        except (ValueError, TypeError):
            fingerprint = None
        unsigned = {k: v for k, v in c.items() if k != 'signature'}
        if c['signer'] != fingerprint:
            fail(CHECKPOINT, "it is not signed with the exporter's key")
        elif not verify_signature(key, unsigned, c['signature']):
            fail(CHECKPOINT, "its signature does not verify with the exporter's key")
        if c['reason'] != f"bundle {manifest.get('bundleId')}":
            fail(CHECKPOINT, 'it was made for another bundle')
        if c['ts'] != manifest.get('createdAt'):
            fail(CHECKPOINT, "its time is not the bundle's export time")
    if isinstance(doc, dict):
        times = [doc['request'].get('requestedAt')] + [a.get('payload', {}).get('signedAt') for a in doc['approvals'] if isinstance(a, dict)]
        at = utc_seconds(c['ts'])
        if any((utc_seconds(t) or 0) > at for t in times):
            fail(CHECKPOINT, 'it records the chain before the approval request or an approval it should include')


def main():
    if len(sys.argv) != 2:
        print('usage: verify_bundle.py BUNDLE_DIR_OR_ZIP', file=sys.stderr)
        return 2
    files = read_bundle(sys.argv[1])
    if files:
        manifest = check_manifest(files)
        doc = check_approvals(files)
        check_checkpoint(files, manifest, doc)
        if doc is not None:
            check_anchors(files, manifest, doc)
    for line in failures:
        print(line)
    if not failures:
        print('verified')
    return 0 if not failures else 1


if __name__ == '__main__':
    sys.exit(main())
