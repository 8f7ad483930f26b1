import { createRequire as __fleetpackCreateRequire } from 'node:module';
const require = __fleetpackCreateRequire(import.meta.url);
import {
  RegistryAuthError,
  RegistryError
} from "./chunk-5JHJT3VO.js";
import {
  DOCKER_HUB,
  apiHost,
  isInsecureRegistry,
  quoteExternal
} from "./chunk-ZMMS22VM.js";
import {
  InputError
} from "./chunk-H43LIEXV.js";

// src/oci/credentials.ts
import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";
import { homedir } from "node:os";
import { join } from "node:path";
var DOCKER_HUB_KEY = "https://index.docker.io/v1/";
var HELPER_TIMEOUT_MS = 3e4;
async function resolveCredentials(registry, sources) {
  const mask = (secret) => {
    if (secret) sources.onSecret?.(secret);
  };
  if (sources.username || sources.password) {
    if (!sources.username || !sources.password) {
      throw new InputError("username and password must be given together", {
        hint: "set both inputs, or neither to use docker login credentials"
      });
    }
    mask(sources.password);
    return {
      credentials: { kind: "basic", username: sources.username, password: sources.password },
      source: "the username/password inputs"
    };
  }
  const fromConfig = await fromDockerConfig(registry, sources.env ?? process.env, mask);
  if (fromConfig) return fromConfig;
  if (registry === "ghcr.io" && sources.githubToken) {
    mask(sources.githubToken);
    return {
      credentials: {
        kind: "basic",
        username: sources.githubActor || "github-actions",
        password: sources.githubToken
      },
      source: "the github-token input (GITHUB_TOKEN)"
    };
  }
  return { credentials: void 0, source: "none (anonymous)" };
}
async function fromDockerConfig(registry, env, mask) {
  const dir = env.DOCKER_CONFIG || join(env.HOME || homedir(), ".docker");
  const path = join(dir, "config.json");
  let config;
  try {
    config = JSON.parse(await readFile(path, "utf8"));
  } catch (error) {
    if (error.code === "ENOENT") return void 0;
    throw new InputError(`cannot read docker config ${path}: ${error.message}`, {
      hint: "fix or remove the file (docker login writes it)"
    });
  }
  const serverAddress = registry === DOCKER_HUB ? DOCKER_HUB_KEY : registry;
  const helper = Object.entries(config.credHelpers ?? {}).find(
    ([key]) => sameRegistry(key, registry)
  )?.[1];
  if (helper) return fromHelper(helper, serverAddress, env, mask);
  if (config.credsStore) {
    return fromHelper(config.credsStore, serverAddress, env, mask);
  }
  const entry = Object.entries(config.auths ?? {}).find(([key]) => sameRegistry(key, registry))?.[1];
  if (!entry) return void 0;
  const source = `docker config ${path}`;
  if (entry.registrytoken) {
    mask(entry.registrytoken);
    return { credentials: { kind: "registry-token", token: entry.registrytoken }, source };
  }
  if (entry.identitytoken) {
    mask(entry.identitytoken);
    return { credentials: { kind: "identity-token", token: entry.identitytoken }, source };
  }
  let username = entry.username;
  let password = entry.password;
  if (entry.auth) {
    const decoded = Buffer.from(entry.auth, "base64").toString("utf8");
    const colon = decoded.indexOf(":");
    username = decoded.slice(0, colon);
    password = decoded.slice(colon + 1);
  }
  if (!username || !password) return void 0;
  mask(password);
  mask(entry.auth);
  return { credentials: { kind: "basic", username, password }, source };
}
async function fromHelper(name, serverAddress, env, mask) {
  const program = `docker-credential-${name}`;
  const output = await new Promise(
    (resolve, reject) => {
      const child = execFile(
        program,
        ["get"],
        { env, timeout: HELPER_TIMEOUT_MS, maxBuffer: 1024 * 1024 },
        (error, stdout, stderr) => {
          if (error && error.code === "ENOENT") {
            reject(
              new InputError(
                `docker config names the credential helper "${name}", but ${program} is not on PATH`,
                {
                  hint: `install ${program}, or remove it from credHelpers/credsStore in the docker config`
                }
              )
            );
            return;
          }
          const code = error ? Number(error.code) || 1 : 0;
          resolve({ code, stdout: String(stdout), stderr: String(stderr) });
        }
      );
      child.stdin?.on("error", () => void 0);
      child.stdin?.end(serverAddress);
    }
  );
  if (output.code !== 0) {
    if (/credentials not found/i.test(output.stdout + output.stderr))
      return { credentials: void 0, source: `${program} (no credentials stored)` };
    throw new InputError(
      `${program} get failed: ${(output.stderr || output.stdout).trim().slice(0, 300)}`,
      {
        hint: `check that ${program} works: echo ${serverAddress} | ${program} get`
      }
    );
  }
  let parsed;
  try {
    parsed = JSON.parse(output.stdout);
  } catch {
    throw new InputError(`${program} get printed something that is not JSON`, {
      hint: `check the helper: echo ${serverAddress} | ${program} get`
    });
  }
  mask(parsed.Secret);
  if (!parsed.Secret) return { credentials: void 0, source: `${program} (empty)` };
  if (parsed.Username === "<token>") {
    return { credentials: { kind: "identity-token", token: parsed.Secret }, source: program };
  }
  return {
    credentials: { kind: "basic", username: parsed.Username ?? "", password: parsed.Secret },
    source: program
  };
}
function sameRegistry(key, registry) {
  const host = key.replace(/^[a-z]+:\/\//i, "").replace(/\/.*$/, "");
  const hub = /* @__PURE__ */ new Set([DOCKER_HUB, "index.docker.io", "registry-1.docker.io"]);
  if (hub.has(registry)) return hub.has(host);
  return host === registry;
}

// src/oci/registry.ts
import { createReadStream } from "node:fs";
import { createHash } from "node:crypto";

// src/oci/http.ts
import http from "node:http";
import https from "node:https";
var agents = {
  "http:": new http.Agent({ keepAlive: true, maxSockets: 64 }),
  "https:": new https.Agent({ keepAlive: true, maxSockets: 64 })
};
var READ_LIMITS = {
  /** The distribution spec's manifest size limit. */
  manifest: 4 * 1024 * 1024,
  /** Token answers: a JWT and a few fields. */
  token: 1024 * 1024,
  /** Error bodies: only their first part is ever shown. */
  error: 8 * 1024,
  /** A referrers index (an image index of signatures and attestations). */
  referrers: 4 * 1024 * 1024
};
var BodyTooLargeError = class extends Error {
  constructor(limit) {
    super(`the answer is longer than ${limit} bytes`);
    this.limit = limit;
    this.name = "BodyTooLargeError";
  }
  limit;
};
var HttpResponse = class {
  constructor(status, rawHeaders, stream, url) {
    this.status = status;
    this.rawHeaders = rawHeaders;
    this.stream = stream;
    this.url = url;
  }
  status;
  rawHeaders;
  stream;
  url;
  get ok() {
    return this.status >= 200 && this.status < 300;
  }
  headers = {
    get: (name) => {
      const value = this.rawHeaders[name.toLowerCase()];
      if (value === void 0) return null;
      return Array.isArray(value) ? value.join(", ") : value;
    }
  };
  /**
   * The body, at most `limit` bytes: a longer one (announced or streamed) is
   * refused with BodyTooLargeError and the connection dropped, so a hostile
   * server cannot fill the runner's memory.
   */
  async bytes(limit) {
    const announced = Number(this.rawHeaders["content-length"] ?? 0);
    if (announced > limit) {
      this.stream.destroy();
      throw new BodyTooLargeError(limit);
    }
    const chunks = [];
    let size = 0;
    for await (const chunk of this.stream) {
      size += chunk.length;
      if (size > limit) {
        this.stream.destroy();
        throw new BodyTooLargeError(limit);
      }
      chunks.push(chunk);
    }
    return Buffer.concat(chunks);
  }
  async text(limit) {
    return (await this.bytes(limit)).toString("utf8");
  }
  async json(limit) {
    return JSON.parse(await this.text(limit));
  }
  /** The body as a stream, for blobs that are hashed while they arrive (the caller bounds it). */
  get body() {
    return this.stream;
  }
  /** Drops the body so the connection can be reused. */
  async discard() {
    if (this.stream.readableEnded) return;
    this.stream.resume();
    await new Promise((resolve) => {
      this.stream.once("end", resolve);
      this.stream.once("close", resolve);
      this.stream.once("error", () => resolve());
    });
  }
};
function httpRequest(url, init) {
  const transport = url.protocol === "https:" ? https : http;
  const agent = agents[url.protocol];
  if (!agent) return Promise.reject(new TypeError(`unsupported protocol ${url.protocol}`));
  return new Promise((resolve, reject) => {
    const request = transport.request(
      url,
      {
        method: init.method,
        headers: init.headers,
        agent,
        signal: AbortSignal.timeout(init.timeoutMs)
      },
      (response) => resolve(new HttpResponse(response.statusCode ?? 0, response.headers, response, url))
    );
    request.on("error", reject);
    const body = init.body;
    if (body === void 0 || typeof body === "string" || Buffer.isBuffer(body)) {
      request.end(body);
    } else {
      body.on("error", (error) => request.destroy(error));
      body.pipe(request);
    }
  });
}

// src/oci/retry.ts
import { setTimeout as sleep } from "node:timers/promises";
var DEFAULT_RETRY = {
  attempts: 5,
  baseDelayMs: 250,
  maxDelayMs: 8e3,
  maxRetryAfterMs: 6e4
};
var RETRYABLE_STATUSES = /* @__PURE__ */ new Set([408, 429, 500, 502, 503, 504]);
function isRetryableStatus(status) {
  return RETRYABLE_STATUSES.has(status);
}
function isTransient(error) {
  if (!(error instanceof RegistryError)) return true;
  return error.status === void 0 || isRetryableStatus(error.status);
}
function parseRetryAfter(value) {
  if (!value) return void 0;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1e3;
  const date = Date.parse(value);
  return Number.isNaN(date) ? void 0 : Math.max(0, date - Date.now());
}
async function withRetries(context, attempt) {
  const attempts = context.attempts ?? context.policy.attempts;
  for (let n = 1; ; n++) {
    let response;
    try {
      response = await attempt();
    } catch (error) {
      if (error instanceof RegistryError || n >= attempts) throw error;
      await backoff(context, n, void 0, "network error");
      continue;
    }
    if (!isRetryableStatus(response.status) || n >= attempts) return response;
    const retryAfter = parseRetryAfter(response.headers.get("retry-after"));
    await response.discard();
    if (retryAfter !== void 0 && retryAfter > context.policy.maxRetryAfterMs) {
      throw new RegistryError(
        `${context.server} asked to wait ${Math.round(retryAfter / 1e3)} s before the ${context.what} (HTTP ${response.status})`,
        {
          status: response.status,
          code: "registry-rate-limited",
          hint: "the registry is rate limiting this account; wait, or authenticate to get a higher limit, then run again"
        }
      );
    }
    await backoff(context, n, retryAfter, response.status);
  }
}
async function backoff(context, attempt, retryAfterMs, reason) {
  const { baseDelayMs, maxDelayMs } = context.policy;
  const exponential = Math.min(maxDelayMs, baseDelayMs * 2 ** (attempt - 1));
  const delay = Math.max(exponential * (0.8 + Math.random() * 0.4), retryAfterMs ?? 0);
  context.debug?.(
    `retrying the ${context.what} in ${Math.round(delay)} ms (${reason}, attempt ${attempt})`
  );
  await sleep(delay);
}

// src/oci/challenge.ts
function parseChallenges(header) {
  const challenges = [];
  let i = 0;
  const skip = (pattern) => {
    while (i < header.length && pattern.test(header[i])) i++;
  };
  const token = () => {
    const start = i;
    skip(/[!#$%&'*+\-.^_`|~0-9A-Za-z]/);
    return header.slice(start, i);
  };
  while (i < header.length) {
    skip(/[\s,]/);
    const scheme = token();
    if (scheme === "") {
      i++;
      continue;
    }
    const challenge = { scheme: scheme.toLowerCase(), params: {} };
    challenges.push(challenge);
    for (; ; ) {
      skip(/[\s,]/);
      const mark = i;
      const name = token();
      skip(/\s/);
      if (name === "" || header[i] !== "=") {
        i = mark;
        break;
      }
      i++;
      skip(/\s/);
      let value = "";
      if (header[i] === '"') {
        i++;
        while (i < header.length && header[i] !== '"') {
          if (header[i] === "\\") i++;
          value += header[i] ?? "";
          i++;
        }
        i++;
      } else {
        value = token();
      }
      challenge.params[name.toLowerCase()] = value;
    }
  }
  return challenges;
}

// src/oci/redirects.ts
var REDIRECTS = /* @__PURE__ */ new Set([301, 302, 303, 307, 308]);
var MAX_REDIRECTS = 5;
async function exchange(request) {
  let url = request.url;
  let method = request.method;
  for (let hop = 0; ; hop++) {
    const headers = { ...request.headers };
    if (request.authorization && url.origin === request.credentialOrigin)
      headers.authorization = request.authorization;
    const body = method === "GET" || method === "HEAD" ? void 0 : request.body?.();
    let response;
    try {
      response = await httpRequest(url, { method, headers, body, timeoutMs: request.timeoutMs });
    } catch (error) {
      request.onRequest?.(method, url, "error");
      throw error;
    }
    request.onRequest?.(method, url, response.status);
    const location = response.headers.get("location");
    const reading = method === "GET" || method === "HEAD";
    if (!REDIRECTS.has(response.status) || !location || hop >= MAX_REDIRECTS) return response;
    if (!reading || !request.follow) return response;
    await response.discard();
    url = new URL(location, url);
    if (response.status === 303) method = "GET";
  }
}

// src/oci/transport.ts
var Transport = class {
  constructor(options) {
    this.options = options;
    this.origin = new URL(
      `${options.insecure ? "http" : "https"}://${apiHost(options.registry)}`
    ).origin;
    this.retry = { ...DEFAULT_RETRY, ...options.retry };
    this.timeoutMs = options.timeoutMs ?? 6e4;
  }
  options;
  origin;
  retry;
  timeoutMs;
  scheme = "unknown";
  bearer;
  tokens = /* @__PURE__ */ new Map();
  get registry() {
    return this.options.registry;
  }
  async request(request) {
    let response;
    try {
      response = await withRetries(
        {
          policy: this.retry,
          attempts: request.retry === false ? 1 : void 0,
          what: request.what,
          server: this.options.registry,
          debug: this.options.debug
        },
        () => this.authorised(request)
      );
    } catch (error) {
      throw this.networkError(request, error);
    }
    return this.check(request, response);
  }
  /** Sends a request, answering one authentication challenge if needed. */
  async authorised(request) {
    let response = await this.send(request, await this.authorization(request.scopes, false));
    if (response.status !== 401) return response;
    if (response.url.origin !== this.origin) {
      await discard(response);
      throw new RegistryAuthError(
        `${response.url.origin} asked for credentials during the ${request.what}, after ${this.origin} redirected there`,
        {
          status: 401,
          hint: `refusing to answer another origin's challenge with the credentials of ${this.options.registry}; the registry's storage redirect is misconfigured (or hostile): report it to the registry's operator`
        }
      );
    }
    const header = response.headers.get("www-authenticate") ?? "";
    await discard(response);
    const challenges = parseChallenges(header);
    const bearer = challenges.find((c) => c.scheme === "bearer");
    const basic = challenges.find((c) => c.scheme === "basic");
    if (bearer?.params.error === "insufficient_scope" && this.scheme === "bearer") {
      throw this.authError(request, 401, "insufficient_scope");
    }
    if (bearer?.params.realm) {
      this.scheme = "bearer";
      this.bearer = { realm: bearer.params.realm, service: bearer.params.service };
      const hinted = bearer.params.scope;
      const scopes = request.scopes.length > 0 || !hinted ? request.scopes : hinted.split(" ");
      response = await this.send(request, await this.authorization(scopes, true));
    } else if (basic && this.options.credentials?.kind === "basic") {
      this.scheme = "basic";
      response = await this.send(request, await this.authorization(request.scopes, true));
    } else {
      throw this.authError(request, 401);
    }
    if (response.status === 401) {
      const again = parseChallenges(response.headers.get("www-authenticate") ?? "");
      const scopeError = again.find((c) => c.params.error === "insufficient_scope");
      await discard(response);
      throw this.authError(request, 401, scopeError ? "insufficient_scope" : void 0);
    }
    return response;
  }
  async authorization(scopes, fresh) {
    const credentials = this.options.credentials;
    if (this.scheme === "basic" && credentials?.kind === "basic") {
      return basicAuthorization(credentials);
    }
    if (this.scheme !== "bearer" || !this.bearer) return void 0;
    if (credentials?.kind === "registry-token") return `Bearer ${credentials.token}`;
    const key = unique(scopes).sort().join(" ");
    const cached = this.tokens.get(key);
    if (cached && !fresh) {
      const token = await cached.catch(() => void 0);
      if (token && token.expiresAt > Date.now()) return `Bearer ${token.value}`;
    }
    const pending = this.fetchToken(unique(scopes));
    this.tokens.set(key, pending);
    pending.catch(() => this.tokens.delete(key));
    return `Bearer ${(await pending).value}`;
  }
  /** The distribution token flow: GET with Basic credentials, or OAuth2 POST for refresh tokens. */
  async fetchToken(scopes) {
    const { realm, service } = this.bearer;
    const realmUrl = new URL(realm);
    if (realmUrl.protocol !== "https:" && !plainRealmAllowed(realmUrl, this.options)) {
      throw new RegistryAuthError(
        `${this.options.registry} sent its token realm over plain HTTP (${realm})`,
        {
          hint: "refusing to send credentials in clear text; if this is a private test registry, list it in insecure-registries"
        }
      );
    }
    this.options.debug?.(`token for ${scopes.join(" ") || "(no scope)"} from ${realmUrl.host}`);
    const credentials = this.options.credentials;
    let response;
    if (credentials?.kind === "identity-token") {
      const form = new URLSearchParams({
        grant_type: "refresh_token",
        refresh_token: credentials.token,
        client_id: "fleetpack"
      });
      if (service) form.set("service", service);
      if (scopes.length > 0) form.set("scope", scopes.join(" "));
      response = await this.tokenRequest(realmUrl, {
        method: "POST",
        contentType: "application/x-www-form-urlencoded",
        body: form.toString()
      });
      if (response.status === 404 || response.status === 405) {
        await discard(response);
        response = void 0;
      }
    }
    if (!response) {
      const url = new URL(realmUrl);
      if (service) url.searchParams.set("service", service);
      for (const scope of scopes) url.searchParams.append("scope", scope);
      if (credentials?.kind === "basic") url.searchParams.set("account", credentials.username);
      response = await this.tokenRequest(url, {
        method: "GET",
        authorization: credentials?.kind === "basic" ? basicAuthorization(credentials) : void 0
      });
    }
    if (response.status === 401 || response.status === 403) {
      await discard(response);
      throw new RegistryAuthError(
        `${this.options.registry} refused the credentials (HTTP ${response.status} from ${realmUrl.host})`,
        {
          status: response.status,
          hint: credentialsHint(this.options.registry)
        }
      );
    }
    if (!response.ok) {
      const text = await response.text(READ_LIMITS.error).catch(() => "");
      throw new RegistryError(
        `the token server ${realmUrl.host} answered HTTP ${response.status}: ${quoteExternal(text.slice(0, 200))}`,
        {
          status: response.status,
          hint: "the registry may be having trouble; run again later"
        }
      );
    }
    const body = await response.json(READ_LIMITS.token).catch((error) => {
      throw new RegistryError(
        `the token server ${realmUrl.host} sent an answer that is not a token: ${describeCause(error)}`,
        { cause: error }
      );
    });
    const value = body.access_token || body.token;
    if (!value) throw new RegistryError(`the token server ${realmUrl.host} sent no token`);
    this.options.onSecret?.(value);
    const lifetime = Math.max(60, Number(body.expires_in) || 60);
    return { value, expiresAt: Date.now() + (lifetime - 10) * 1e3 };
  }
  /** A token request: retried like registry requests, Basic credentials only to the realm's origin. */
  async tokenRequest(url, init) {
    try {
      return await withRetries(
        {
          policy: this.retry,
          what: "token request",
          server: url.host,
          debug: this.options.debug
        },
        () => exchange({
          method: init.method,
          url,
          headers: {
            "user-agent": this.options.userAgent ?? "fleetpack",
            ...init.contentType ? { "content-type": init.contentType } : {}
          },
          body: init.body === void 0 ? void 0 : () => init.body,
          timeoutMs: this.timeoutMs,
          authorization: init.authorization,
          credentialOrigin: url.origin,
          follow: true,
          onRequest: this.options.onRequest
        })
      );
    } catch (error) {
      if (error instanceof RegistryError) throw error;
      throw new RegistryError(
        `cannot reach the token server ${url.host}: ${describeCause(error)}`,
        {
          cause: error
        }
      );
    }
  }
  /** One exchange with the registry; credentials go to the registry's origin only. */
  send(request, authorization) {
    const url = typeof request.url === "string" && request.url.startsWith("/") ? new URL(request.url, this.origin) : new URL(request.url);
    return exchange({
      method: request.method,
      url,
      headers: { "user-agent": this.options.userAgent ?? "fleetpack", ...request.headers },
      body: request.body,
      timeoutMs: request.timeoutMs ?? this.timeoutMs,
      authorization,
      credentialOrigin: this.origin,
      follow: request.followRedirects !== false,
      onRequest: this.options.onRequest
    });
  }
  async check(request, response) {
    if (response.ok || request.accept?.includes(response.status)) return response;
    const text = await response.text(READ_LIMITS.error).catch(() => "");
    const { code, message } = registryErrorBody(text);
    if (response.status === 403) throw this.authError(request, 403, code, message);
    if (response.status === 401) throw this.authError(request, 401, code, message);
    throw new RegistryError(
      `${this.options.registry} refused the ${request.what}: HTTP ${response.status}${code ? ` ${code}` : ""}${message ? `: ${message}` : ""}`,
      {
        status: response.status,
        registryCode: code,
        code: code === "NAME_UNKNOWN" || response.status === 404 && code === void 0 ? "registry-name-unknown" : "registry",
        hint: statusHint(response.status, code, this.options.registry)
      }
    );
  }
  authError(request, status, code, message) {
    const anonymous = !this.options.credentials;
    const denied = status === 403 || code === "insufficient_scope" || code === "DENIED";
    return new RegistryAuthError(
      `${this.options.registry} denied the ${request.what} (HTTP ${status}${code ? ` ${code}` : ""}${message ? `: ${message}` : ""})${anonymous ? " without credentials" : ""}`,
      {
        status,
        registryCode: code,
        code: denied ? "registry-denied" : "registry-auth",
        hint: denied ? permissionHint(this.options.registry) : credentialsHint(this.options.registry)
      }
    );
  }
  networkError(request, error) {
    if (error instanceof RegistryError) return error;
    const name = error?.name;
    const timeout = name === "TimeoutError" || name === "AbortError";
    return new RegistryError(
      `${timeout ? "timed out during" : "network error during"} the ${request.what} at ${this.options.registry}: ${describeCause(error)}`,
      {
        cause: error,
        code: timeout ? "registry-timeout" : "registry-unreachable",
        hint: timeout ? "the registry did not answer in time; check its status and run again" : `check that ${this.options.registry} is reachable from the runner${this.options.insecure ? "" : " over HTTPS (plain HTTP needs insecure-registries)"}`
      }
    );
  }
};
function plainRealmAllowed(realm, options) {
  if (!options.insecure) return false;
  const host = realm.hostname.replace(/^\[|\]$/g, "");
  const registryHost = new URL(`http://${apiHost(options.registry)}`).hostname.replace(
    /^\[|\]$/g,
    ""
  );
  return host === registryHost || host === "localhost" || host === "::1" || /^127\./.test(host);
}
function registryErrorBody(text) {
  try {
    const parsed = JSON.parse(text);
    const first = parsed.errors?.[0];
    if (first)
      return {
        code: typeof first.code === "string" ? quoteExternal(first.code.slice(0, 64)) : void 0,
        message: typeof first.message === "string" ? quoteExternal(first.message.slice(0, 200)) : void 0
      };
  } catch {
  }
  const trimmed = quoteExternal(text.trim().slice(0, 200));
  return trimmed ? { message: trimmed } : {};
}
function statusHint(status, code, registry) {
  if (code === "NAME_UNKNOWN" || status === 404 && code === void 0) {
    return `the repository does not exist on ${registry} or is not visible to these credentials; some registries need it created first: for ECR set create-repositories: true (--create-repositories true), for Harbor create the project`;
  }
  if (code === "MANIFEST_INVALID" || code === "MANIFEST_BLOB_UNKNOWN")
    return "this looks like a fleetpack bug or a registry that rejects Flux media types; please report it";
  if (status === 413) return "the registry limits request sizes; reduce the component size";
  if (status >= 500) return "the registry had an internal error; run again later";
  return void 0;
}
function credentialsHint(registry) {
  return registry === "ghcr.io" ? 'for ghcr.io, pass a token with write:packages (the job needs "permissions: packages: write" for GITHUB_TOKEN), or log in with docker/login-action' : `give credentials for ${registry} with the username/password inputs or docker login (docker/login-action)`;
}
function permissionHint(registry) {
  return registry === "ghcr.io" ? 'the token may read but not write: add "permissions: packages: write" to the job, and if the package already exists, grant this repository Actions access in the package settings' : `the credentials are valid but may not push to this repository on ${registry}; grant push access`;
}
function describeCause(error) {
  const message = (value) => typeof value === "object" && value !== null && "message" in value ? String(value.message) : void 0;
  const own = message(error) ?? String(error);
  const cause = message(error?.cause);
  return cause ? `${own} (${cause})` : own;
}
function basicAuthorization(credentials) {
  return `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString("base64")}`;
}
function unique(values) {
  return [...new Set(values)];
}
async function discard(response) {
  await response.discard();
}

// src/oci/registry.ts
var MANIFEST_ACCEPT = [
  "application/vnd.oci.image.manifest.v1+json",
  "application/vnd.oci.image.index.v1+json",
  "application/vnd.docker.distribution.manifest.v2+json",
  "application/vnd.docker.distribution.manifest.list.v2+json"
].join(", ");
var SINGLE_POST_PROBE_LIMIT = 256 * 1024;
var SinglePostSupport = class {
  answer;
  /** The answer if a probe ran or is running; undefined before any. */
  known() {
    return this.answer;
  }
  /** Starts the probe when none ran yet: returns how to report its outcome, or undefined. */
  probe() {
    if (this.answer) return void 0;
    let report;
    this.answer = new Promise((resolve) => report = resolve);
    return report;
  }
};
var singlePostSupport = /* @__PURE__ */ new WeakMap();
function singlePostOf(transport) {
  let support = singlePostSupport.get(transport);
  if (!support) {
    support = new SinglePostSupport();
    singlePostSupport.set(transport, support);
  }
  return support;
}
var RepositoryClient = class {
  constructor(transport, path, access = "push", uploadAttempts = 4) {
    this.transport = transport;
    this.path = path;
    this.uploadAttempts = uploadAttempts;
    this.pull = [`repository:${path}:pull`];
    this.pullPush = access === "push" ? [`repository:${path}:push,pull`] : this.pull;
  }
  transport;
  path;
  uploadAttempts;
  /** The scope of every request but the referrers reads, which need pull only. */
  pullPush;
  pull;
  async blobExists(digest) {
    const response = await this.transport.request({
      method: "HEAD",
      url: `/v2/${this.path}/blobs/${digest}`,
      scopes: this.pullPush,
      accept: [404],
      what: `check for blob ${digest}`
    });
    await discard(response);
    return response.status !== 404;
  }
  /**
   * Uploads a blob unless the repository has it. The fewest requests the
   * registry allows: a cross-repository mount when `mountFrom` holds it
   * (one POST), a single POST where the registry stores blobs that way,
   * otherwise POST + PUT (the upload every registry supports); a HEAD first
   * only when the blob may already be there. Returns true when bytes were
   * sent. A failed upload restarts from its POST.
   */
  async pushBlob(descriptor, source, { mountFrom, knownAbsent = false } = {}) {
    if (!knownAbsent && !mountFrom && await this.blobExists(descriptor.digest)) return false;
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.uploadOnce(descriptor, source, mountFrom);
      } catch (error) {
        if (!isTransient(error) || attempt >= this.uploadAttempts) throw error;
      }
    }
  }
  async uploadOnce(descriptor, source, mountFrom) {
    if (mountFrom) {
      const started2 = await this.startUpload(
        descriptor,
        `?mount=${encodeURIComponent(descriptor.digest)}&from=${encodeURIComponent(mountFrom)}`,
        [...this.pullPush, `repository:${mountFrom}:pull`]
      );
      if (started2.status === 201) return false;
      return this.finishUpload(descriptor, source, started2);
    }
    const support = singlePostOf(this.transport);
    const report = descriptor.size <= SINGLE_POST_PROBE_LIMIT ? support.probe() : void 0;
    const singlePost = report !== void 0 || await (support.known() ?? false);
    if (!singlePost) {
      return this.finishUpload(descriptor, source, await this.startUpload(descriptor, ""));
    }
    let started;
    try {
      started = await this.startUpload(
        descriptor,
        `?digest=${encodeURIComponent(descriptor.digest)}`,
        this.pullPush,
        source
      );
    } catch (error) {
      report?.(false);
      if (!report || isTransient(error) || !(error instanceof RegistryError)) throw error;
      if (error.status === void 0 || error.status === 401 || error.status === 403) throw error;
      return this.finishUpload(descriptor, source, await this.startUpload(descriptor, ""));
    }
    report?.(started.status === 201);
    if (started.status !== 201) return this.finishUpload(descriptor, source, started);
    this.checkStored(descriptor, started.headers.get("docker-content-digest"));
    return true;
  }
  /** POST to the uploads endpoint: a session (202 + Location), or a stored or mounted blob (201). */
  async startUpload(descriptor, query, scopes = this.pullPush, content) {
    const started = await this.transport.request({
      method: "POST",
      url: `/v2/${this.path}/blobs/uploads/${query}`,
      headers: content ? { "content-type": "application/octet-stream", "content-length": String(descriptor.size) } : { "content-length": "0" },
      body: content ? () => bodyOf(content) : () => Buffer.alloc(0),
      scopes,
      retry: content ? false : void 0,
      timeoutMs: content ? uploadTimeoutMs(descriptor) : void 0,
      what: `upload of ${descriptor.digest}`
    });
    await discard(started);
    return started;
  }
  /** PUTs the blob into the session a POST opened. */
  async finishUpload(descriptor, source, started) {
    const location = started.headers.get("location");
    if (started.status !== 202 || !location) {
      throw new RegistryError(
        `${this.transport.registry} answered the upload start with HTTP ${started.status} and no Location`
      );
    }
    const base = new URL(`/v2/${this.path}/blobs/uploads/`, this.transport.origin);
    const uploadUrl = new URL(location, base).toString();
    const target = `${uploadUrl}${uploadUrl.includes("?") ? "&" : "?"}digest=${encodeURIComponent(descriptor.digest)}`;
    const finished = await this.transport.request({
      method: "PUT",
      url: target,
      headers: {
        "content-type": "application/octet-stream",
        "content-length": String(descriptor.size)
      },
      body: () => bodyOf(source),
      scopes: this.pullPush,
      retry: false,
      timeoutMs: uploadTimeoutMs(descriptor),
      what: `upload of ${descriptor.digest}`
    });
    await discard(finished);
    this.checkStored(descriptor, finished.headers.get("docker-content-digest"));
    return true;
  }
  checkStored(descriptor, stored) {
    if (stored && stored !== descriptor.digest) {
      throw new RegistryError(
        `${this.transport.registry} stored blob ${descriptor.digest} as ${stored}`,
        { code: "registry-mismatch" }
      );
    }
  }
  /**
   * PUTs a manifest by digest or tag; checks the digest the registry
   * computed. Returns the OCI-Subject header (set by registries that index
   * referrers).
   */
  async putManifest(reference, manifest) {
    const response = await this.transport.request({
      method: "PUT",
      url: `/v2/${this.path}/manifests/${reference}`,
      headers: { "content-type": manifest.descriptor.mediaType },
      body: () => manifest.bytes,
      scopes: this.pullPush,
      what: reference.startsWith("sha256:") ? `manifest upload ${reference}` : `tag ${reference}`
    });
    await discard(response);
    const stored = response.headers.get("docker-content-digest");
    if (stored && stored !== manifest.descriptor.digest) {
      throw new RegistryError(
        `${this.transport.registry} stored the manifest as ${stored}, not ${manifest.descriptor.digest}`,
        {
          code: "registry-mismatch",
          hint: "the registry rewrote the manifest; Flux verification would fail on it"
        }
      );
    }
    return response.headers.get("oci-subject") ?? void 0;
  }
  /** The manifest at a tag or digest, or undefined when there is none. */
  async getManifest(reference) {
    const response = await this.transport.request({
      method: "GET",
      url: `/v2/${this.path}/manifests/${reference}`,
      headers: { accept: MANIFEST_ACCEPT },
      scopes: this.pullPush,
      accept: [404],
      what: `read of manifest ${reference}`
    });
    if (response.status === 404) {
      await discard(response);
      return void 0;
    }
    const bytes = await readBounded(
      response,
      READ_LIMITS.manifest,
      `manifest ${reference}`,
      this.transport.registry
    );
    const digest = `sha256:${createHash("sha256").update(bytes).digest("hex")}`;
    if (reference.startsWith("sha256:") && digest !== reference) {
      throw new RegistryError(
        `${this.transport.registry} returned a manifest whose digest is ${digest}, not ${reference}`
      );
    }
    const mediaType = response.headers.get("content-type")?.split(";")[0]?.trim() || (JSON.parse(bytes.toString()).mediaType ?? "");
    return { digest, mediaType, bytes };
  }
  /**
   * Every tag of the repository, following the registry's pagination (the
   * Link header), bounded: a repository with more tags than that is refused
   * rather than half-listed.
   */
  async listTags(limit = 1e5) {
    const tags = [];
    let url = `/v2/${this.path}/tags/list?n=1000`;
    for (; ; ) {
      const response = await this.transport.request({
        method: "GET",
        url,
        scopes: this.pullPush,
        accept: [404],
        what: `list of tags of ${this.path}`
      });
      if (response.status === 404) {
        await discard(response);
        return tags;
      }
      const link = response.headers.get("link");
      const body = await readBounded(
        response,
        READ_LIMITS.manifest,
        `tag list of ${this.path}`,
        this.transport.registry
      ).then((bytes) => JSON.parse(bytes.toString()));
      for (const tag of Array.isArray(body.tags) ? body.tags : [])
        if (typeof tag === "string") tags.push(tag);
      if (tags.length > limit)
        throw new RegistryError(`${this.path} has more than ${limit} tags`, {
          hint: "prune with a narrower --match, or in several runs"
        });
      const next = link ? /<([^>]+)>;\s*rel="?next"?/.exec(link)?.[1] : void 0;
      if (!next) return tags;
      const nextUrl = new URL(next, this.transport.origin);
      if (nextUrl.origin !== this.transport.origin) return tags;
      url = `${nextUrl.pathname}${nextUrl.search}`;
    }
  }
  /**
   * Deletes a manifest by digest (with the tags that point at it, on
   * distribution). Returns false when it was already gone.
   */
  async deleteManifest(digest) {
    const response = await this.transport.request({
      method: "DELETE",
      url: `/v2/${this.path}/manifests/${digest}`,
      scopes: this.pullPush,
      accept: [404],
      what: `deletion of ${digest}`
    });
    await discard(response);
    return response.status !== 404;
  }
  /** The digest a tag points at, or undefined. */
  async headManifest(reference) {
    const response = await this.transport.request({
      method: "HEAD",
      url: `/v2/${this.path}/manifests/${reference}`,
      headers: { accept: MANIFEST_ACCEPT },
      scopes: this.pullPush,
      accept: [404],
      what: `check of manifest ${reference}`
    });
    await discard(response);
    if (response.status === 404) return void 0;
    return response.headers.get("docker-content-digest") ?? (await this.getManifest(reference))?.digest;
  }
  async getBlob(digest, maxBytes = 4 * 1024 * 1024) {
    const response = await this.transport.request({
      method: "GET",
      url: `/v2/${this.path}/blobs/${digest}`,
      scopes: this.pullPush,
      what: `read of blob ${digest}`
    });
    const bytes = await readBounded(response, maxBytes, `blob ${digest}`, this.transport.registry);
    const actual = `sha256:${createHash("sha256").update(bytes).digest("hex")}`;
    if (actual !== digest)
      throw new RegistryError(
        `${this.transport.registry} returned blob ${digest} with content ${actual}`
      );
    return bytes;
  }
  /**
   * Whether the registry really serves the OCI 1.1 referrers API: a 200 with
   * an image index for a digest nobody refers to. GHCR answers 303 to
   * github.com, distribution 2.8 a plain-text 404, and some registries echo
   * OCI-Subject without the API, so only this probe is trusted.
   */
  async supportsReferrersApi() {
    const response = await this.transport.request({
      method: "GET",
      url: `/v2/${this.path}/referrers/sha256:${"0".repeat(64)}`,
      headers: { accept: "application/vnd.oci.image.index.v1+json" },
      scopes: this.pull,
      accept: [301, 302, 303, 307, 308, 400, 404, 405],
      followRedirects: false,
      what: "referrers API probe"
    });
    const type = response.headers.get("content-type")?.split(";")[0]?.trim();
    if (response.status !== 200 || type !== "application/vnd.oci.image.index.v1+json") {
      await discard(response);
      return false;
    }
    const body = await response.json(READ_LIMITS.referrers).catch(() => ({}));
    return Array.isArray(body.manifests);
  }
  /** The referrers index of `digest` from the referrers API (callers probe for it first). */
  async getReferrers(digest) {
    const response = await this.transport.request({
      method: "GET",
      url: `/v2/${this.path}/referrers/${digest}`,
      headers: { accept: "application/vnd.oci.image.index.v1+json" },
      scopes: this.pull,
      what: `referrers of ${digest}`
    });
    const bytes = await readBounded(
      response,
      READ_LIMITS.referrers,
      `referrers of ${digest}`,
      this.transport.registry
    );
    return JSON.parse(bytes.toString());
  }
  /**
   * A blob as a stream, for content too large to hold in memory; the caller
   * hashes it and must check both its digest and its size (the descriptor's),
   * stopping at the size: the registry's Content-Length is not trusted.
   */
  async openBlob(digest) {
    const response = await this.transport.request({
      method: "GET",
      url: `/v2/${this.path}/blobs/${digest}`,
      scopes: this.pullPush,
      what: `read of blob ${digest}`
    });
    return response.body;
  }
};
function bodyOf(source) {
  return "bytes" in source ? source.bytes : createReadStream(source.file);
}
function uploadTimeoutMs(descriptor) {
  return 6e4 + Math.ceil(descriptor.size / 1024);
}
async function readBounded(response, limit, what, registry) {
  try {
    return await response.bytes(limit);
  } catch (error) {
    if (error instanceof BodyTooLargeError)
      throw new RegistryError(`${registry} sent a ${what} larger than ${limit} bytes`, {
        code: "registry-answer-too-large",
        hint: "the registry answered with more than such an object can hold; it may be misbehaving or hostile"
      });
    throw error;
  }
}

// src/oci/pool.ts
var RegistryPool = class {
  constructor(options) {
    this.options = options;
  }
  options;
  transports = /* @__PURE__ */ new Map();
  blobHomes = /* @__PURE__ */ new Map();
  async repository(repository) {
    let transport = this.transports.get(repository.registry);
    if (!transport) {
      transport = this.createTransport(repository.registry);
      transport.catch(() => this.transports.delete(repository.registry));
      this.transports.set(repository.registry, transport);
    }
    return new RepositoryClient(await transport, repository.path, this.options.access ?? "push");
  }
  async createTransport(registry) {
    const { credentials, source } = this.options.provider === "aws" ? await this.awsCredentials(registry) : await resolveCredentials(registry, {
      username: this.options.username,
      password: this.options.password,
      githubActor: this.options.githubActor,
      githubToken: this.options.githubToken,
      onSecret: this.options.onSecret
    });
    this.options.info?.(`${registry}: credentials from ${source}`);
    return new Transport({
      registry,
      insecure: isInsecureRegistry(registry, this.options.insecureRegistries),
      credentials,
      userAgent: "fleetpack",
      timeoutMs: this.options.timeoutMs,
      onSecret: this.options.onSecret,
      debug: (message) => this.options.debug?.(`${registry}: ${message}`)
    });
  }
  async awsCredentials(registry) {
    const { ecrCredentials } = await import("./ecr-CCTHPV2J.js");
    const credentials = await ecrCredentials({ registry, env: this.options.env ?? process.env });
    if (credentials.kind === "basic") this.options.onSecret(credentials.password);
    return { credentials, source: "AWS (ECR GetAuthorizationToken, provider: aws)" };
  }
  /** Another repository of the same registry that holds `digest`, to mount from. */
  knownLocation(repository, digest) {
    const home = this.blobHomes.get(`${repository.registry}|${digest}`);
    return home && home !== repository.path ? home : void 0;
  }
  remember(repository, digest) {
    const key = `${repository.registry}|${digest}`;
    if (!this.blobHomes.has(key)) this.blobHomes.set(key, repository.path);
  }
};

export {
  RegistryPool
};
//# sourceMappingURL=chunk-5BMK2G7T.js.map
