import { messageOf } from '../errors.js'
import { generateKeyPairSync, sign as cryptoSign, type KeyObject } from 'node:crypto'
import { X509Certificate } from '@sigstore/core'
import { FulcioSigner, type Signature, type Signer } from '@sigstore/sign'
import { SigningError } from '../errors.js'
import { githubClaims, type GitHubClaims } from '../verify/certificate.js'

/** Fulcio's OID for the token issuer (raw value, as cosign's legacy path reads it). */
const ISSUER_OID = '1.3.6.1.4.1.57264.1.1'
/** Renew a certificate this long before it expires: every Rekor entry must fall inside it. */
const RENEW_BEFORE_MS = 2 * 60 * 1000

export interface SignerIdentity {
  /** The certificate's SAN: https://github.com/<job_workflow_ref> on GitHub. */
  subject: string
  issuer: string
}

/**
 * One ephemeral key and one Fulcio certificate for a whole run, renewed
 * before it expires: a fleet of fifty components costs one Fulcio request and
 * one token, not fifty (the stock FulcioSigner fetches both on every call).
 */
export class KeylessSigner implements Signer {
  private readonly privateKey: KeyObject
  private readonly publicKeyPem: string
  private readonly fulcio: FulcioSigner
  private certificate: Promise<{ pem: string; notAfter: Date }> | undefined

  constructor(options: { fulcioUrl: string; getToken: () => Promise<string> }) {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' })
    this.privateKey = privateKey
    this.publicKeyPem = publicKey.export({ format: 'pem', type: 'spki' }).toString()
    const keyHolder: Signer = {
      sign: data =>
        Promise.resolve({
          signature: cryptoSign('sha256', data, this.privateKey),
          key: { $case: 'publicKey', publicKey: this.publicKeyPem }
        })
    }
    this.fulcio = new FulcioSigner({
      fulcioBaseURL: options.fulcioUrl,
      identityProvider: { getToken: options.getToken },
      keyHolder,
      retry: { retries: 3 },
      timeout: 30_000
    })
  }

  async sign(data: Buffer): Promise<Signature> {
    const certificate = await this.currentCertificate()
    return {
      signature: cryptoSign('sha256', data, this.privateKey),
      key: { $case: 'x509Certificate', certificate: certificate.pem }
    }
  }

  /** The identity in the certificate (fetching it if needed). */
  async identity(): Promise<SignerIdentity> {
    const { pem } = await this.currentCertificate()
    return certificateIdentity(pem)
  }

  /** This run's certificate, as Fulcio issued it (PEM). */
  async certificatePem(): Promise<string> {
    return (await this.currentCertificate()).pem
  }

  /** The run's GitHub claims (repository, its ID, ref) from this run's certificate. */
  async claims(): Promise<GitHubClaims> {
    const { pem } = await this.currentCertificate()
    return githubClaims(pem)
  }

  /** The identity of a certificate already obtained; never asks Fulcio for one. */
  async knownIdentity(): Promise<SignerIdentity | undefined> {
    const certificate = await this.certificate?.catch(() => undefined)
    return certificate ? certificateIdentity(certificate.pem) : undefined
  }

  private currentCertificate(): Promise<{ pem: string; notAfter: Date }> {
    const pending = this.certificate
    if (pending) {
      return pending.then(cert =>
        cert.notAfter.getTime() - Date.now() > RENEW_BEFORE_MS ? cert : this.renew()
      )
    }
    return this.renew()
  }

  private renew(): Promise<{ pem: string; notAfter: Date }> {
    const request = this.fulcio
      .sign(Buffer.from('fleetpack'))
      .then(result => {
        if (result.key.$case !== 'x509Certificate')
          throw new SigningError('Fulcio returned no certificate')
        return {
          pem: result.key.certificate,
          notAfter: X509Certificate.parse(result.key.certificate).notAfter
        }
      })
      .catch((cause: unknown) => {
        this.certificate = undefined
        throw new SigningError(`Fulcio did not issue a signing certificate: ${messageOf(cause)}`, {
          cause,
          hint: 'check fulcio-url and that the OIDC token is for audience "sigstore"; rerun if Sigstore had an outage'
        })
      })
    this.certificate = request
    return request
  }
}

export function certificateIdentity(pem: string): SignerIdentity {
  const certificate = X509Certificate.parse(pem)
  const subject = certificate.subjectAltName
  const issuerExtension = certificate.extension(ISSUER_OID)
  if (!subject || !issuerExtension) {
    throw new SigningError('the signing certificate has no SAN or issuer extension')
  }
  return { subject, issuer: issuerExtension.value.toString('utf8') }
}
