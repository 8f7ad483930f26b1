import { createRequire as __fleetpackCreateRequire } from 'node:module';
const require = __fleetpackCreateRequire(import.meta.url);

// src/oci/content.ts
import { createHash } from "node:crypto";
var OCI_MANIFEST_MEDIA_TYPE = "application/vnd.oci.image.manifest.v1+json";
var OCI_INDEX_MEDIA_TYPE = "application/vnd.oci.image.index.v1+json";
var OCI_CONFIG_MEDIA_TYPE = "application/vnd.oci.image.config.v1+json";
var OCI_EMPTY_MEDIA_TYPE = "application/vnd.oci.empty.v1+json";
function content(mediaType, bytes) {
  return {
    bytes,
    descriptor: {
      mediaType,
      size: bytes.length,
      digest: `sha256:${createHash("sha256").update(bytes).digest("hex")}`
    }
  };
}

export {
  OCI_MANIFEST_MEDIA_TYPE,
  OCI_INDEX_MEDIA_TYPE,
  OCI_CONFIG_MEDIA_TYPE,
  OCI_EMPTY_MEDIA_TYPE,
  content
};
//# sourceMappingURL=chunk-VRUUYRFZ.js.map
