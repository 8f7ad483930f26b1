#!/usr/bin/env node
import { createRequire as __fleetpackCreateRequire } from 'node:module';
const require = __fleetpackCreateRequire(import.meta.url);
import {
  commandUsage,
  parseAnnotations,
  readCliOptions,
  toPlanInputs,
  toPruneInputs,
  toPublishInputs,
  toVerifyInputs,
  usage
} from "./chunks/chunk-2HJJIPTG.js";
import {
  PublishError,
  buildArtifact,
  createdTimeFor,
  defaultRevision,
  defaultSource,
  publish,
  repositoryRootFor
} from "./chunks/chunk-ENRAOMV4.js";
import "./chunks/chunk-QPMVQUVC.js";
import "./chunks/chunk-QHBVXJ5H.js";
import "./chunks/chunk-5BMK2G7T.js";
import "./chunks/chunk-5JHJT3VO.js";
import {
  neutraliseCommands
} from "./chunks/chunk-ZMMS22VM.js";
import "./chunks/chunk-VRUUYRFZ.js";
import {
  FleetpackError,
  InputError,
  describeError
} from "./chunks/chunk-H43LIEXV.js";
import "./chunks/chunk-DC45UNIC.js";

// src/cli/main.ts
import { resolve } from "node:path";
var COMMANDS = ["build", "publish", "verify", "plan", "promote", "prune"];
var FLEETPACK_VERSION = true ? "0.1.0" : "dev";
async function build(args, io) {
  const { values, positionals } = readCliOptions("build", args, io.env);
  const [dir, ...extra] = positionals;
  if (dir === void 0 || extra.length > 0) {
    throw new InputError("build takes exactly one directory", {
      hint: "e.g. fleetpack build apps/podinfo --output podinfo.tgz"
    });
  }
  const output = values.output;
  if (!output) {
    throw new InputError("build needs --output <file.tgz>", {
      hint: "e.g. fleetpack build apps/podinfo --output podinfo.tgz"
    });
  }
  const annotations = parseAnnotations(
    values.annotations ?? [],
    "--annotation"
  );
  const artifact = await buildArtifact(dir, {
    repositoryRoot: values.repositoryRoot ?? repositoryRootFor(dir),
    ignorePatterns: values.ignorePaths ?? [],
    outputPath: resolve(output),
    metadata: {
      created: await createdTimeFor(dir),
      source: values.source ?? await defaultSource(dir),
      revision: values.revision ?? await defaultRevision(dir),
      annotations
    }
  });
  const result = {
    digest: artifact.layer.digest,
    diffId: artifact.layer.diffId,
    size: artifact.layer.size,
    files: artifact.layer.files,
    output: artifact.layer.path,
    mediaType: "application/vnd.cncf.flux.content.v1.tar+gzip",
    manifestDigest: artifact.manifest.descriptor.digest,
    annotations: artifact.annotations
  };
  io.stdout(`${JSON.stringify(result, null, 2)}
`);
}
async function publishCommand(args, io) {
  const { values } = readCliOptions("publish", args, io.env);
  const inputs = await toPublishInputs(values, { surface: "cli", env: io.env });
  const log = {
    info: (message) => io.stderr(`${message}
`),
    warning: (message) => io.stderr(`warning: ${message}
`),
    debug: (message) => {
      if (io.env.FLEETPACK_DEBUG) io.stderr(`debug: ${message}
`);
    },
    group: (title, lines) => {
      if (io.env.FLEETPACK_DEBUG || lines.some((line) => line.startsWith("error:"))) {
        io.stderr(`${title}
${lines.map((line) => `  ${line}
`).join("")}`);
      }
    },
    secret: () => void 0
  };
  try {
    const results = await publish(inputs, log);
    io.stdout(`${JSON.stringify(results.artifacts, null, 2)}
`);
  } catch (error) {
    if (error instanceof PublishError)
      io.stdout(`${JSON.stringify(error.summary.artifacts, null, 2)}
`);
    throw error;
  }
}
async function verifyCommand(args, io) {
  const { values, positionals } = readCliOptions("verify", args, io.env);
  if (positionals.length !== 1) {
    throw new InputError("verify takes exactly one reference", {
      hint: "e.g. fleetpack verify oci://ghcr.io/org/fleet/apps:latest"
    });
  }
  const inputs = await toVerifyInputs(values, { surface: "cli", env: io.env });
  const { verifyReferences } = await import("./chunks/run-TKS5JPN3.js");
  const [result] = await verifyReferences(inputs);
  if (!result) throw new Error("unreachable: no verification result");
  for (const warning of result.warnings) io.stderr(`warning: ${warning}
`);
  io.stdout(`${JSON.stringify(result, null, 2)}
`);
}
async function promoteCommand(args, io) {
  const { values } = readCliOptions("promote", args, io.env);
  const inputs = await toVerifyInputs(values, { surface: "cli", env: io.env });
  const { promote } = await import("./chunks/promote-RBBIVYDU.js");
  const result = await promote(
    {
      ...inputs,
      to: values.to ?? [],
      toRepository: values.toRepository
    },
    { info: (message) => io.stderr(`${message}
`) }
  );
  for (const warning of result.verified.warnings) io.stderr(`warning: ${warning}
`);
  io.stdout(`${JSON.stringify(result, null, 2)}
`);
}
async function pruneCommand(args, io) {
  const { values } = readCliOptions("prune", args, io.env);
  const inputs = toPruneInputs(values, { surface: "cli", env: io.env });
  const { prune } = await import("./chunks/prune-3A7XO43G.js");
  const result = await prune(inputs, { info: (message) => io.stderr(`${message}
`) });
  io.stdout(`${JSON.stringify(result, null, 2)}
`);
}
async function planCommand(args, io) {
  const { values } = readCliOptions("plan", args, io.env);
  const inputs = toPlanInputs(values, { surface: "cli", env: io.env });
  const { plan } = await import("./chunks/plan-WN4Q67FA.js");
  const result = await plan(inputs, { info: (message) => io.stderr(`${message}
`) });
  io.stdout(`${JSON.stringify(result, null, 2)}
`);
}
async function main(argv, given) {
  const io = {
    stdout: (text) => given.stdout(neutraliseCommands(text)),
    stderr: (text) => given.stderr(neutraliseCommands(text)),
    env: given.env
  };
  const [command, ...rest] = argv;
  try {
    const known = COMMANDS.find((c) => c === command);
    if (known && rest.some((a) => a === "--help" || a === "-h")) {
      io.stdout(commandUsage(known));
      return 0;
    }
    switch (command) {
      case "build":
        await build(rest, io);
        return 0;
      case "publish":
        await publishCommand(rest, io);
        return 0;
      case "verify":
        await verifyCommand(rest, io);
        return 0;
      case "plan":
        await planCommand(rest, io);
        return 0;
      case "promote":
        await promoteCommand(rest, io);
        return 0;
      case "prune":
        await pruneCommand(rest, io);
        return 0;
      case "--version":
      case "version":
        io.stdout(`fleetpack ${FLEETPACK_VERSION}
`);
        return 0;
      case void 0:
      case "-h":
      case "--help":
      case "help":
        io.stdout(usage());
        return command === void 0 ? 2 : 0;
      default:
        throw new InputError(`unknown command "${command}"`, { hint: usage() });
    }
  } catch (error) {
    const known = error instanceof FleetpackError || isParseArgsError(error);
    io.stderr(`fleetpack: ${known ? errorText(error) : describeError(error)}
`);
    return known ? 1 : 70;
  }
}
function isParseArgsError(error) {
  return String(error?.code).startsWith("ERR_PARSE_ARGS");
}
function errorText(error) {
  return error instanceof FleetpackError ? error.explanation : error.message;
}

// src/cli.ts
process.setSourceMapsEnabled(true);
process.exitCode = await main(process.argv.slice(2), {
  stdout: (text) => void process.stdout.write(text),
  stderr: (text) => void process.stderr.write(text),
  env: process.env
});
//# sourceMappingURL=cli.js.map
