import * as fsp from 'node:fs/promises'
import { basename, isAbsolute, relative, resolve } from 'node:path'
import { InputError } from './errors.js'
import { parseRepository, validateTag, type Repository } from './oci/reference.js'

/** One directory to publish, and where it goes. */
export interface Component {
  /** The directory's name: the {name} of the repository template. */
  name: string
  /** As the user listed it (or as a glob expanded it), relative to the working directory. */
  path: string
  repository: Repository
}

const NAME_PLACEHOLDER = '{name}'

/**
 * Expands `paths` (directories or globs) into components and gives each its
 * repository. Everything here is checked before any build or network call.
 */
export async function resolveComponents(
  paths: readonly string[],
  repositoryTemplate: string,
  { cwd = process.cwd(), repositoryInput = 'repository' } = {}
): Promise<Component[]> {
  if (paths.length === 0) {
    throw new InputError('paths is empty', {
      hint: 'list the directories to publish, one per line, e.g. apps/podinfo'
    })
  }
  const directories: string[] = []
  for (const path of paths) {
    if (/[*?[\]{}]/.test(path)) {
      const matches: string[] = []
      // fs.glob is Node 22+; imported lazily so other commands still run on older Node.
      for await (const entry of fsp.glob(path, { cwd, withFileTypes: true })) {
        if (entry.isDirectory())
          matches.push(relative(resolve(cwd), resolve(cwd, entry.parentPath, entry.name)))
      }
      if (matches.length === 0) {
        throw new InputError(`paths: the glob "${path}" matches no directory`, {
          hint: 'check the pattern; globs are relative to the working directory (the repository root on a runner)'
        })
      }
      directories.push(...matches.sort())
    } else {
      const info = await fsp.stat(resolve(cwd, path)).catch(() => undefined)
      if (!info) {
        throw new InputError(`paths: "${path}" does not exist`, {
          hint: 'paths are relative to the working directory (the repository root on a runner); check the spelling and that the checkout ran'
        })
      }
      if (!info.isDirectory()) {
        throw new InputError(`paths: "${path}" is a file, not a directory`, {
          hint: 'list the directory that holds the manifests'
        })
      }
      directories.push(path.replace(/\/+$/, '') || '.')
    }
  }

  const unique = [...new Set(directories)]
  if (unique.length > 1 && !repositoryTemplate.includes(NAME_PLACEHOLDER)) {
    throw new InputError(
      `${repositoryInput} "${repositoryTemplate}" has no {name} but paths list ${unique.length} components`,
      {
        hint: `add {name} where each component's directory name goes, e.g. ${repositoryTemplate.replace(/\/+$/, '')}/{name}`
      }
    )
  }
  const seen = new Map<string, string>()
  return unique.map(path => {
    const name = basename(resolve(cwd, path))
    const previous = seen.get(name)
    if (previous !== undefined) {
      throw new InputError(
        `paths: "${previous}" and "${path}" are both named "${name}" and would publish to the same repository`,
        {
          hint: 'rename one directory, or publish them in separate steps with different repositories'
        }
      )
    }
    seen.set(name, path)
    const repository = parseRepository(
      repositoryTemplate.replaceAll(NAME_PLACEHOLDER, name),
      repositoryInput
    )
    return { name, path, repository }
  })
}

/** The default repository from the GitHub context: ghcr.io/<owner>/<repo>/{name}, lowercased. */
export function defaultRepositoryTemplate(
  env: Readonly<Record<string, string | undefined>> = process.env
): string | undefined {
  const repository = env.GITHUB_REPOSITORY
  return repository ? `ghcr.io/${repository.toLowerCase()}/${NAME_PLACEHOLDER}` : undefined
}

export function validateTags(tags: readonly string[], input = 'tags'): string[] {
  if (tags.length === 0)
    throw new InputError(`${input} is empty`, { hint: 'give at least one tag, e.g. latest' })
  return [...new Set(tags.map(tag => validateTag(tag, input)))]
}

/**
 * On a runner, only the checked-out workspace is published: a component whose
 * real path leads out of it (`../x`, a symlinked directory) could hold the
 * runner's credentials, and is refused before any upload.
 */
export async function confineToWorkspace(
  components: readonly Component[],
  cwd: string,
  workspace: string
): Promise<void> {
  const root = await fsp.realpath(workspace)
  for (const component of components) {
    const real = await fsp.realpath(resolve(cwd, component.path))
    const inside = relative(root, real)
    if (inside.startsWith('..') || isAbsolute(inside)) {
      throw new InputError(
        `paths: "${component.path}" is outside the workspace ${workspace} (it resolves to ${real})`,
        {
          hint: 'publish only directories of the checked-out repository; check out other repositories into a folder of the workspace (actions/checkout with path:)'
        }
      )
    }
  }
}
