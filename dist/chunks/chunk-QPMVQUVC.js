import { createRequire as __fleetpackCreateRequire } from 'node:module';
const require = __fleetpackCreateRequire(import.meta.url);
import {
  OCI_MANIFEST_MEDIA_TYPE,
  content
} from "./chunk-VRUUYRFZ.js";
import {
  InputError
} from "./chunk-H43LIEXV.js";

// src/artifact/manifest.ts
var FLUX_CONFIG_MEDIA_TYPE = "application/vnd.cncf.flux.config.v1+json";
var FLUX_CONTENT_MEDIA_TYPE = "application/vnd.cncf.flux.content.v1.tar+gzip";
var ANNOTATION_CREATED = "org.opencontainers.image.created";
var ANNOTATION_SOURCE = "org.opencontainers.image.source";
var ANNOTATION_REVISION = "org.opencontainers.image.revision";
function fluxConfig(layer, created) {
  const json = {
    architecture: "",
    created,
    history: [{ created }],
    os: "",
    rootfs: { type: "layers", diff_ids: [layer.diffId] },
    config: {}
  };
  return content(FLUX_CONFIG_MEDIA_TYPE, Buffer.from(JSON.stringify(json)));
}
function fluxManifest(config, layer, annotations) {
  const json = {
    schemaVersion: 2,
    mediaType: OCI_MANIFEST_MEDIA_TYPE,
    config: { mediaType: config.mediaType, size: config.size, digest: config.digest },
    layers: [{ mediaType: FLUX_CONTENT_MEDIA_TYPE, size: layer.size, digest: layer.digest }],
    annotations
  };
  return content(OCI_MANIFEST_MEDIA_TYPE, Buffer.from(JSON.stringify(json)));
}
function artifactAnnotations(metadata) {
  const merged = { [ANNOTATION_CREATED]: metadata.created };
  if (metadata.source) merged[ANNOTATION_SOURCE] = metadata.source;
  if (metadata.revision) merged[ANNOTATION_REVISION] = metadata.revision;
  Object.assign(merged, metadata.annotations ?? {});
  const created = merged[ANNOTATION_CREATED];
  if (created !== void 0 && !RFC3339.test(created)) {
    throw new InputError(`annotation ${ANNOTATION_CREATED}=${created} is not an RFC 3339 time`, {
      hint: "write it like 2026-01-31T12:00:00Z (Flux rejects other formats)"
    });
  }
  return Object.fromEntries(
    Object.keys(merged).sort().map((key) => [key, merged[key] ?? ""])
  );
}
var RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
function formatCreated(date) {
  return date.toISOString().replace(/\.\d{3}Z$/, "Z");
}

export {
  FLUX_CONFIG_MEDIA_TYPE,
  FLUX_CONTENT_MEDIA_TYPE,
  ANNOTATION_CREATED,
  fluxConfig,
  fluxManifest,
  artifactAnnotations,
  formatCreated
};
//# sourceMappingURL=chunk-QPMVQUVC.js.map
