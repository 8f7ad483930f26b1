import { verify as cryptoVerify, type KeyObject } from 'node:crypto'

/** A cosign key signature (ECDSA with SHA-256, ASN.1) over `payload`, checked with the public key. */
export function verifyWithKey(publicKey: KeyObject, payload: Buffer, signature: Buffer): boolean {
  try {
    return cryptoVerify('sha256', payload, publicKey, signature)
  } catch {
    return false
  }
}
