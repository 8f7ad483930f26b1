import { createRequire as __fleetpackCreateRequire } from 'node:module';
const require = __fleetpackCreateRequire(import.meta.url);
import {
  OCI_CONFIG_MEDIA_TYPE,
  content
} from "./chunk-VRUUYRFZ.js";

// src/cosign/legacy.ts
var SIMPLE_SIGNING_MEDIA_TYPE = "application/vnd.dev.cosign.simplesigning.v1+json";
var ANNOTATION_SIGNATURE = "dev.cosignproject.cosign/signature";
var ANNOTATION_CERTIFICATE = "dev.sigstore.cosign/certificate";
var ANNOTATION_CHAIN = "dev.sigstore.cosign/chain";
var ANNOTATION_BUNDLE = "dev.sigstore.cosign/bundle";
var MAX_SIGNATURE_LAYERS = 1e3;
function signatureTag(digest) {
  return `${digest.replace(":", "-")}.sig`;
}
function simpleSigningPayload(dockerReference, digest) {
  return Buffer.from(
    JSON.stringify({
      critical: {
        identity: { "docker-reference": dockerReference },
        image: { "docker-manifest-digest": digest },
        type: "cosign container image signature"
      },
      optional: null
    })
  );
}
async function readSignatureLayers(client, digest) {
  const manifest = await client.getManifest(signatureTag(digest));
  if (!manifest) return [];
  let parsed;
  try {
    parsed = JSON.parse(manifest.bytes.toString());
  } catch {
    return [];
  }
  return Array.isArray(parsed.layers) ? parsed.layers.filter((l) => typeof l === "object" && l !== null).slice(0, MAX_SIGNATURE_LAYERS) : [];
}
function signatureConfig(diffIds) {
  const zero = "0001-01-01T00:00:00Z";
  const json = {
    architecture: "",
    created: zero,
    history: diffIds.map(() => ({ created: zero })),
    os: "",
    rootfs: { type: "layers", diff_ids: diffIds },
    config: {}
  };
  return content(OCI_CONFIG_MEDIA_TYPE, Buffer.from(JSON.stringify(json)));
}
function toPem(base64Der) {
  return `-----BEGIN CERTIFICATE-----
${base64Der.match(/.{1,64}/g)?.join("\n") ?? ""}
-----END CERTIFICATE-----
`;
}

// src/cosign/bundle.ts
var BUNDLE_MEDIA_TYPE = "application/vnd.dev.sigstore.bundle.v0.3+json";
var COSIGN_SIGN_PREDICATE = "https://sigstore.dev/cosign/sign/v1";
var IN_TOTO_PAYLOAD_TYPE = "application/vnd.in-toto+json";
var SLSA_PROVENANCE_PREDICATE = "https://slsa.dev/provenance/v1";
function signStatement(digest) {
  return Buffer.from(
    JSON.stringify({
      _type: "https://in-toto.io/Statement/v1",
      subject: [{ digest: { sha256: digest.replace(/^sha256:/, "") }, annotations: {} }],
      predicateType: COSIGN_SIGN_PREDICATE,
      predicate: {}
    })
  );
}
function statement(name, digest, predicateType, predicate) {
  return Buffer.from(
    JSON.stringify({
      _type: "https://in-toto.io/Statement/v1",
      subject: [{ name, digest: { sha256: digest.replace(/^sha256:/, "") } }],
      predicateType,
      predicate
    })
  );
}
function referrersTag(digest) {
  return digest.replace(":", "-");
}
var MAX_REFERRERS = 256;
async function listReferrers(client, digest, referrersApi) {
  let entries = [];
  let index;
  if (referrersApi) {
    entries = (await client.getReferrers(digest)).manifests ?? [];
  } else {
    const tagged = await client.getManifest(referrersTag(digest));
    index = tagged?.digest;
    try {
      const parsed = tagged && JSON.parse(tagged.bytes.toString());
      entries = parsed && Array.isArray(parsed.manifests) ? parsed.manifests : [];
    } catch {
      entries = [];
    }
  }
  const valid = entries.filter(
    (entry) => typeof entry === "object" && entry !== null && typeof entry.digest === "string"
  );
  return { entries: valid.slice(0, MAX_REFERRERS), ...index ? { index } : {} };
}

export {
  SIMPLE_SIGNING_MEDIA_TYPE,
  ANNOTATION_SIGNATURE,
  ANNOTATION_CERTIFICATE,
  ANNOTATION_CHAIN,
  ANNOTATION_BUNDLE,
  MAX_SIGNATURE_LAYERS,
  signatureTag,
  simpleSigningPayload,
  readSignatureLayers,
  signatureConfig,
  toPem,
  BUNDLE_MEDIA_TYPE,
  COSIGN_SIGN_PREDICATE,
  IN_TOTO_PAYLOAD_TYPE,
  SLSA_PROVENANCE_PREDICATE,
  signStatement,
  statement,
  referrersTag,
  listReferrers
};
//# sourceMappingURL=chunk-6FXZJEEJ.js.map
