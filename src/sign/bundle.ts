import { messageOf } from '../errors.js'
import { bundleToJSON } from '@sigstore/bundle'
import {
  DSSEBundleBuilder,
  RekorWitness,
  TSAWitness,
  type Signer,
  type Witness
} from '@sigstore/sign'
import {
  content,
  OCI_EMPTY_MEDIA_TYPE,
  OCI_INDEX_MEDIA_TYPE,
  OCI_MANIFEST_MEDIA_TYPE,
  type Descriptor
} from '../oci/content.js'
import { formatCreated } from '../artifact/manifest.js'
import type { ManifestStore } from '../oci/registry.js'
import { SigningError } from '../errors.js'
import {
  BUNDLE_MEDIA_TYPE,
  COSIGN_SIGN_PREDICATE,
  IN_TOTO_PAYLOAD_TYPE,
  referrersTag,
  signStatement,
  type ReferrerDescriptor
} from '../cosign/bundle.js'

/**
 * cosign v3's signature format, which Flux >= 2.8 verifies: a Sigstore
 * bundle v0.3 holding a DSSE-signed in-toto statement about the manifest
 * digest, stored as an OCI 1.1 referrer of the artifact, found through the
 * referrers API where the registry really has one, else through the
 * referrers tag `sha256-<hex>` (an index the writer maintains).
 */

export interface SignedBundle {
  json: Buffer
  rekorLogIndex: number
}

export async function signBundle(
  signer: Signer,
  digest: string,
  options: { rekorUrl: string | undefined; tsaUrl: string | undefined },
  /** What is signed: cosign's sign statement by default, or another (provenance). */
  payload: Buffer = signStatement(digest)
): Promise<SignedBundle> {
  const witnesses: Witness[] = []
  if (options.rekorUrl) {
    witnesses.push(
      new RekorWitness({
        rekorBaseURL: options.rekorUrl,
        majorApiVersion: 1,
        retry: { retries: 3 },
        timeout: 30_000
      })
    )
  }
  if (options.tsaUrl)
    witnesses.push(
      new TSAWitness({ tsaBaseURL: options.tsaUrl, retry: { retries: 3 }, timeout: 30_000 })
    )
  const builder = new DSSEBundleBuilder({ signer, witnesses })
  try {
    const bundle = await builder.create({ data: payload, type: IN_TOTO_PAYLOAD_TYPE })
    return {
      json: Buffer.from(JSON.stringify(bundleToJSON(bundle))),
      rekorLogIndex: Number(bundle.verificationMaterial.tlogEntries[0]?.logIndex ?? -1)
    }
  } catch (cause) {
    throw new SigningError(`could not sign and log the bundle: ${messageOf(cause)}`, {
      cause,
      hint: 'check rekor-url, fulcio-url and tsa-url; if Sigstore had an outage, rerun: tags only move after a verified signature'
    })
  }
}

/**
 * Stores the bundle as a referrer of `subject`: blobs, the referrer manifest
 * by digest, and, unless the registry indexes referrers itself, the entry in
 * the referrers tag. Returns where it is.
 */
export async function writeBundleReferrer(
  client: ManifestStore,
  subject: Descriptor,
  bundle: Buffer,
  referrersApi: boolean,
  predicateType: string = COSIGN_SIGN_PREDICATE
): Promise<string> {
  const config = content(OCI_EMPTY_MEDIA_TYPE, Buffer.from('{}'))
  const layer = content(BUNDLE_MEDIA_TYPE, bundle)
  await client.pushBlob(config.descriptor, { bytes: config.bytes })
  await client.pushBlob(layer.descriptor, { bytes: layer.bytes })
  const annotations = {
    'dev.sigstore.bundle.content': 'dsse-envelope',
    'dev.sigstore.bundle.predicateType': predicateType,
    'org.opencontainers.image.created': formatCreated(new Date())
  }
  const manifest = content(
    OCI_MANIFEST_MEDIA_TYPE,
    Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: OCI_MANIFEST_MEDIA_TYPE,
        artifactType: BUNDLE_MEDIA_TYPE,
        config: config.descriptor,
        layers: [layer.descriptor],
        subject: { mediaType: subject.mediaType, digest: subject.digest, size: subject.size },
        annotations
      })
    )
  )
  const echoed = await client.putManifest(manifest.descriptor.digest, manifest)
  // A registry that echoes OCI-Subject and answers the referrers probe indexes it;
  // anything else gets the fallback tag (some registries echo without an API).
  if (referrersApi && echoed === subject.digest) return manifest.descriptor.digest
  await addToReferrersTag(client, subject.digest, {
    ...manifest.descriptor,
    artifactType: BUNDLE_MEDIA_TYPE,
    annotations
  })
  return manifest.descriptor.digest
}

async function addToReferrersTag(
  client: ManifestStore,
  subject: string,
  entry: ReferrerDescriptor
): Promise<void> {
  const tag = referrersTag(subject)
  const existing = await client.getManifest(tag)
  let manifests: ReferrerDescriptor[] = []
  if (existing) {
    const parsed = JSON.parse(existing.bytes.toString()) as {
      mediaType?: string
      manifests?: ReferrerDescriptor[]
    }
    if (parsed.mediaType !== OCI_INDEX_MEDIA_TYPE && !Array.isArray(parsed.manifests)) {
      throw new SigningError(`tag ${tag} exists and is not a referrers index`, {
        hint: 'some registries (GitLab) resolve sha256-<hex> to the subject itself; use signature-format: legacy there'
      })
    }
    manifests = parsed.manifests ?? []
  }
  if (manifests.some(m => m.digest === entry.digest)) return
  const index = content(
    OCI_INDEX_MEDIA_TYPE,
    Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: OCI_INDEX_MEDIA_TYPE,
        manifests: [...manifests, entry]
      })
    )
  )
  await client.putManifest(tag, index)
}
