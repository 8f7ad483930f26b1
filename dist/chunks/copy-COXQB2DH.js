import { createRequire as __fleetpackCreateRequire } from 'node:module';
const require = __fleetpackCreateRequire(import.meta.url);
import {
  RegistryError
} from "./chunk-5JHJT3VO.js";
import {
  listReferrers,
  referrersTag,
  signatureTag
} from "./chunk-6FXZJEEJ.js";
import {
  OCI_INDEX_MEDIA_TYPE,
  content
} from "./chunk-VRUUYRFZ.js";
import "./chunk-H43LIEXV.js";
import "./chunk-DC45UNIC.js";

// src/copy.ts
var MAX_BLOB = 1024 * 1024 * 1024;
async function copyArtifact(from, to, digest, log) {
  await copyManifest(from, to, digest, digest);
  const signature = await from.getManifest(signatureTag(digest));
  if (signature) {
    await copyManifest(from, to, signature.digest, signatureTag(digest));
    log(`copied the cosign signature ${signatureTag(digest)}`);
  }
  const { entries: referrers } = await listReferrers(
    from,
    digest,
    await from.supportsReferrersApi()
  );
  for (const referrer of referrers) await copyManifest(from, to, referrer.digest, referrer.digest);
  if (referrers.length > 0 && !await to.supportsReferrersApi()) {
    const existing = await to.getManifest(referrersTag(digest));
    const present = existing ? JSON.parse(existing.bytes.toString()).manifests ?? [] : [];
    const merged = [...present, ...referrers.filter((r) => !present.some((p) => p.digest === r.digest))];
    await to.putManifest(
      referrersTag(digest),
      content(
        OCI_INDEX_MEDIA_TYPE,
        Buffer.from(
          JSON.stringify({ schemaVersion: 2, mediaType: OCI_INDEX_MEDIA_TYPE, manifests: merged })
        )
      )
    );
  }
  if (referrers.length > 0) log(`copied ${referrers.length} referrers`);
}
async function copyManifest(from, to, digest, reference) {
  const manifest = await from.getManifest(digest);
  if (!manifest) throw new RegistryError(`${digest} is not in the source repository`);
  const parsed = JSON.parse(manifest.bytes.toString());
  for (const blob of [parsed.config, ...parsed.layers ?? []]) {
    if (!blob || typeof blob.digest !== "string" || typeof blob.size !== "number") continue;
    if (blob.size > MAX_BLOB)
      throw new RegistryError(`blob ${blob.digest} is larger than ${MAX_BLOB} bytes`);
    if (await to.blobExists(blob.digest)) continue;
    const bytes = await from.getBlob(blob.digest, blob.size);
    await to.pushBlob(blob, { bytes }, { knownAbsent: true });
  }
  await to.putManifest(reference, {
    bytes: manifest.bytes,
    descriptor: { mediaType: manifest.mediaType, size: manifest.bytes.length, digest }
  });
}
export {
  copyArtifact
};
//# sourceMappingURL=copy-COXQB2DH.js.map
