// ECIES to a slot's X25519 public key: an ephemeral key agreed with it, HKDF-SHA256, AES-256-GCM. One function for
// every secret a slot carries (the database key, the sources key), each under its own label so boxes cannot be swapped.
import { createCipheriv, createDecipheriv, createPublicKey, diffieHellman, generateKeyPairSync, hkdfSync, randomBytes, type KeyObject } from 'node:crypto';

export interface SealedBox {
  epk: string;
  iv: string;
  tag: string;
  ciphertext: string;
}

const b = (s: string) => Buffer.from(s, 'base64');
export const spki = (k: KeyObject): Buffer => k.export({ format: 'der', type: 'spki' });

/** `info` names the use (HKDF label); `bind` is the AAD (workspace, user, and whatever else the box must stay with). */
export interface BoxLabel {
  info: string;
  bind: Buffer;
}

function boxKey(shared: Buffer, epk: Buffer, pub: Buffer, info: string): Buffer {
  return Buffer.from(hkdfSync('sha256', shared, Buffer.concat([epk, pub]), info, 32));
}

export function sealToPublic(secret: Buffer, pub: Buffer, label: BoxLabel): SealedBox {
  const eph = generateKeyPairSync('x25519');
  const epk = spki(eph.publicKey);
  const key = boxKey(diffieHellman({ privateKey: eph.privateKey, publicKey: createPublicKey({ key: pub, format: 'der', type: 'spki' }) }), epk, pub, label.info);
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.concat([label.bind, pub]));
  const ciphertext = Buffer.concat([cipher.update(secret), cipher.final()]);
  key.fill(0);
  return { epk: epk.toString('base64'), iv: iv.toString('base64'), tag: cipher.getAuthTag().toString('base64'), ciphertext: ciphertext.toString('base64') };
}

/** The secret, or null when the box was not sealed to this private key under this label (or was altered). */
export function openBox(box: SealedBox, priv: KeyObject, pub: Buffer, label: BoxLabel): Buffer | null {
  let key: Buffer | null = null;
  try {
    const epk = b(box.epk);
    key = boxKey(diffieHellman({ privateKey: priv, publicKey: createPublicKey({ key: epk, format: 'der', type: 'spki' }) }), epk, pub, label.info);
    const decipher = createDecipheriv('aes-256-gcm', key, b(box.iv));
    decipher.setAAD(Buffer.concat([label.bind, pub]));
    decipher.setAuthTag(b(box.tag));
    return Buffer.concat([decipher.update(b(box.ciphertext)), decipher.final()]);
  } catch {
    return null;
  } finally {
    key?.fill(0);
  }
}
