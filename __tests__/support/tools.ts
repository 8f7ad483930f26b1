import { existsSync } from 'node:fs'
import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { PROJECT_ROOT, runProcess, type ProcessResult } from './runner.js'
import { tempDir } from './tree.js'

/** The real tools the tests check our output with (scripts/install-test-tools.sh). */
export const TOOLS_DIR = process.env.FLEETPACK_TOOLS_DIR ?? join(PROJECT_ROOT, '.cache/test-tools')

export function tool(
  name: 'docker-registry' | 'skopeo' | 'oras' | 'cosign' | 'cosign3' | 'kustomize'
): string {
  const path = join(TOOLS_DIR, 'bin', name)
  if (!existsSync(path)) {
    // Not a skip: a missing tool is a broken set-up, and CI must say so.
    throw new Error(
      `${path} is missing: run "bash scripts/install-test-tools.sh" (npm test does it in pretest)`
    )
  }
  return path
}

/**
 * An environment that keeps skopeo and oras away from the real HOME and
 * /var/lib/containers (as root, containers/image writes a cache there).
 */
export async function isolatedToolEnv(): Promise<NodeJS.ProcessEnv> {
  const home = await tempDir('tool-home-')
  for (const dir of ['data', 'config', 'run', 'tmp', 'home/.docker'])
    await mkdir(join(home, dir), { recursive: true })
  await writeFile(join(home, 'auth.json'), '{"auths":{}}')
  // Tests read back what we pushed; signature policy is checked elsewhere.
  await writeFile(join(home, 'policy.json'), '{"default":[{"type":"insecureAcceptAnything"}]}')
  return {
    PATH: process.env.PATH,
    HOME: join(home, 'home'),
    _CONTAINERS_ROOTLESS_UID: '65534',
    XDG_DATA_HOME: join(home, 'data'),
    XDG_CONFIG_HOME: join(home, 'config'),
    XDG_RUNTIME_DIR: join(home, 'run'),
    TMPDIR: join(home, 'tmp'),
    REGISTRY_AUTH_FILE: join(home, 'auth.json'),
    DOCKER_CONFIG: join(home, 'home/.docker'),
    FLEETPACK_TEST_POLICY: join(home, 'policy.json')
  }
}

export async function runTool(
  name: Parameters<typeof tool>[0],
  args: readonly string[],
  env?: NodeJS.ProcessEnv
): Promise<ProcessResult> {
  const toolEnv = env ?? (await isolatedToolEnv())
  // skopeo copy needs a trust policy; the Debian package ships none.
  const fullArgs =
    name === 'skopeo' && args[0] === 'copy'
      ? ['--policy', toolEnv.FLEETPACK_TEST_POLICY ?? '', ...args]
      : args
  const result = await runProcess(tool(name), fullArgs, { env: toolEnv })
  if (result.code !== 0) {
    throw new Error(
      `${name} ${args.join(' ')} exited ${result.code}:\n${result.stderr}${result.stdout}`
    )
  }
  return result
}
