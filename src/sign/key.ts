import {
  createPrivateKey,
  createPublicKey,
  scryptSync,
  sign as cryptoSign,
  type KeyObject
} from 'node:crypto'
import { secretbox } from '@noble/ciphers/salsa.js'
import type { Signature, Signer } from '@sigstore/sign'
import { InputError } from '../errors.js'

/**
 * Key-based signing with a key made by `cosign generate-key-pair`: the
 * ENCRYPTED SIGSTORE PRIVATE KEY format (scrypt, then NaCl secretbox around a
 * PKCS#8 key; cosign pkg/cosign/keys.go), or a plain PKCS#8 PEM for
 * convenience. The key's text arrives as a workflow passes a secret.
 */

const ENCRYPTED_LABELS = ['ENCRYPTED SIGSTORE PRIVATE KEY', 'ENCRYPTED COSIGN PRIVATE KEY']

export function loadCosignKey(text: string, password: string, inputName = 'cosign-key'): KeyObject {
  const match = /-----BEGIN ([A-Z ]+)-----([\s\S]*?)-----END \1-----/.exec(text)
  if (!match) {
    throw new InputError(`${inputName} is not a PEM private key`, {
      hint: 'pass the whole content of cosign.key (from cosign generate-key-pair), e.g. ${{ secrets.COSIGN_KEY }}'
    })
  }
  const [, label, body] = match as unknown as [string, string, string]
  if (label === 'PRIVATE KEY') return createPrivateKey({ key: text, format: 'pem' })
  if (!ENCRYPTED_LABELS.includes(label)) {
    throw new InputError(`${inputName} is a "${label}", not a cosign or PKCS#8 private key`, {
      hint: 'use the cosign.key that cosign generate-key-pair writes, or a PKCS#8 "PRIVATE KEY" PEM'
    })
  }
  const sealed = JSON.parse(Buffer.from(body.replace(/\s+/g, ''), 'base64').toString()) as {
    kdf: { name: string; params: { N: number; r: number; p: number }; salt: string }
    cipher: { name: string; nonce: string }
    ciphertext: string
  }
  if (sealed.kdf.name !== 'scrypt' || sealed.cipher.name !== 'nacl/secretbox') {
    throw new InputError(
      `${inputName} uses ${sealed.kdf.name}/${sealed.cipher.name}, which fleetpack cannot read`
    )
  }
  const { N, r, p } = sealed.kdf.params
  // Node's default scrypt memory cap (32 MiB) is below what cosign's N=65536, r=8 needs.
  const secret = scryptSync(
    Buffer.from(password, 'utf8'),
    Buffer.from(sealed.kdf.salt, 'base64'),
    32,
    {
      N,
      r,
      p,
      maxmem: 256 * N * r
    }
  )
  let der: Uint8Array
  try {
    der = secretbox(secret, Buffer.from(sealed.cipher.nonce, 'base64')).open(
      Buffer.from(sealed.ciphertext, 'base64')
    )
  } catch {
    throw new InputError(`${inputName} cannot be decrypted with cosign-password`, {
      hint: 'check that cosign-password is the password the key was generated with (COSIGN_PASSWORD)'
    })
  }
  return createPrivateKey({ key: Buffer.from(der), format: 'der', type: 'pkcs8' })
}

/** Signs with a private key; the signature names its public key, not a certificate. */
export class KeySigner implements Signer {
  readonly publicKeyPem: string
  readonly publicKey: KeyObject

  constructor(private readonly privateKey: KeyObject) {
    this.publicKey = createPublicKey(privateKey)
    this.publicKeyPem = this.publicKey.export({ format: 'pem', type: 'spki' }).toString()
  }

  sign(data: Buffer): Promise<Signature> {
    return Promise.resolve({
      signature: cryptoSign('sha256', data, this.privateKey),
      key: { $case: 'publicKey', publicKey: this.publicKeyPem }
    })
  }
}
