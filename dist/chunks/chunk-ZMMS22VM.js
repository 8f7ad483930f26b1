import { createRequire as __fleetpackCreateRequire } from 'node:module';
const require = __fleetpackCreateRequire(import.meta.url);
import {
  InputError
} from "./chunk-H43LIEXV.js";

// src/oci/reference.ts
var COMPONENT = /^[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*$/;
var TAG = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$/;
var DIGEST = /^sha256:[a-f0-9]{64}$/;
var HOST = /^(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*|\[[0-9a-fA-F:]+\])(?::\d{1,5})?$/;
var DOCKER_HUB = "docker.io";
var DOCKER_HUB_API = "registry-1.docker.io";
function normaliseHost(host) {
  return host.toLowerCase().replace(/:443$/, "");
}
function repositoryName(repository) {
  return `${repository.registry}/${repository.path}`;
}
function apiHost(registry) {
  return registry === DOCKER_HUB || registry === "index.docker.io" ? DOCKER_HUB_API : registry;
}
function parseRepository(value, input) {
  const text = value.trim();
  if (text === "") {
    throw new InputError(`${input} is empty`, {
      hint: "give a repository such as ghcr.io/org/apps/podinfo"
    });
  }
  if (/^[a-z]+:\/\//i.test(text)) {
    throw new InputError(`${input}: "${text}" has a URL scheme`, {
      hint: `drop the scheme: ${text.replace(/^[a-z]+:\/\//i, "")}`
    });
  }
  if (text.includes("@")) {
    throw new InputError(`${input}: "${text}" contains a digest`, {
      hint: "give the repository only; fleetpack computes the digest"
    });
  }
  const slash = text.indexOf("/");
  const first = slash < 0 ? text : text.slice(0, slash);
  const hasRegistry = slash >= 0 && (first.includes(".") || first.includes(":") || first === "localhost" || first.startsWith("["));
  const registry = hasRegistry ? normaliseHost(first) : DOCKER_HUB;
  let path = hasRegistry ? text.slice(slash + 1) : text;
  const lastSlash = path.lastIndexOf("/");
  const colon = path.indexOf(":", lastSlash + 1);
  if (colon >= 0) {
    throw new InputError(`${input}: "${text}" contains a tag (${path.slice(colon + 1)})`, {
      hint: `give the repository without a tag (${registry === DOCKER_HUB && !hasRegistry ? "" : `${registry}/`}${path.slice(0, colon)}) and list tags in "tags"`
    });
  }
  if (!HOST.test(registry)) {
    throw new InputError(`${input}: "${registry}" is not a valid registry host`, {
      hint: "write it as host or host:port, e.g. ghcr.io or localhost:5000"
    });
  }
  if (registry === DOCKER_HUB && !path.includes("/")) path = `library/${path}`;
  if (path !== path.toLowerCase()) {
    throw new InputError(
      `${input}: "${text}" has uppercase letters; OCI repository names must be lowercase`,
      {
        hint: `use ${hasRegistry ? `${registry}/` : ""}${path.toLowerCase()}`
      }
    );
  }
  const bad = path.split("/").find((part) => !COMPONENT.test(part));
  if (bad !== void 0) {
    throw new InputError(
      `${input}: "${bad === "" ? text : bad}" is not a valid repository path component`,
      {
        hint: 'use lowercase letters, digits and single separators (".", "_", "__", "-") between "/"'
      }
    );
  }
  if (repositoryName({ registry, path }).length > 255) {
    throw new InputError(`${input}: "${text}" is longer than 255 characters`, {
      hint: "use a shorter repository name"
    });
  }
  return { registry, path };
}
function validateTag(tag, input) {
  if (!TAG.test(tag)) {
    throw new InputError(`${input}: "${tag}" is not a valid tag`, {
      hint: 'tags are 1-128 characters of letters, digits, "_", "." and "-", not starting with "." or "-"'
    });
  }
  return tag;
}
function isDigest(value) {
  return DIGEST.test(value);
}
function parseManifestReference(value, input) {
  const text = value.trim().replace(/^oci:\/\//, "");
  const at = text.indexOf("@");
  if (at >= 0) {
    const digest = text.slice(at + 1);
    if (!isDigest(digest)) {
      throw new InputError(`${input}: "${digest}" is not a sha256 digest`, {
        hint: "write it as sha256:<64 hex digits>"
      });
    }
    return { ...parseRepository(text.slice(0, at), input), digest };
  }
  const lastSlash = text.lastIndexOf("/");
  const colon = text.indexOf(":", lastSlash + 1);
  if (colon < 0) return { ...parseRepository(text, input), tag: "latest" };
  return {
    ...parseRepository(text.slice(0, colon), input),
    tag: validateTag(text.slice(colon + 1), input)
  };
}
function isInsecureRegistry(registry, insecureRegistries = []) {
  const host = registry.replace(/:\d+$/, "");
  if (host === "localhost" || host === "127.0.0.1" || host === "[::1]") return true;
  const listed = insecureRegistries.map(normaliseHost);
  return listed.includes(registry) || listed.includes(host);
}

// src/text.ts
var UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;
function quoteExternal(text) {
  return text.replace(UNPRINTABLE, (c) => {
    const code = c.charCodeAt(0);
    return code <= 255 ? `\\x${code.toString(16).padStart(2, "0")}` : `\\u${code.toString(16)}`;
  });
}
function quoteExternalLines(text) {
  return text.split(/\r?\n/).map((line) => quoteExternal(line)).join("\n");
}
function hasControlCharacters(text) {
  UNPRINTABLE.lastIndex = 0;
  return UNPRINTABLE.test(text);
}
function neutraliseCommands(text) {
  return text.replace(/^(\s*)::/gm, "$1\u200B::");
}
function escapeRegExp(value) {
  return value.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
}

export {
  DOCKER_HUB,
  repositoryName,
  apiHost,
  parseRepository,
  validateTag,
  parseManifestReference,
  isInsecureRegistry,
  quoteExternal,
  quoteExternalLines,
  hasControlCharacters,
  neutraliseCommands,
  escapeRegExp
};
//# sourceMappingURL=chunk-ZMMS22VM.js.map
