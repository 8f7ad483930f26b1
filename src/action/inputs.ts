import * as core from '@actions/core'
import { InputError } from '../errors.js'
import { parseAnnotations, parseList } from '../inputs.js'

/** Everything the action takes, read once from the step's inputs. */
export interface ActionInputs {
  paths: string[]
  ignorePaths: string[]
  annotations: Record<string, string>
  source: string | undefined
  revision: string | undefined
}

export function readInputs(): ActionInputs {
  return {
    paths: required('paths', 'list the directories to publish, one per line, e.g. apps/podinfo'),
    ignorePaths: parseList(core.getInput('ignore-paths')),
    annotations: parseAnnotations(parseList(core.getInput('annotations')), 'annotations'),
    source: core.getInput('source') || undefined,
    revision: core.getInput('revision') || undefined
  }
}

function required(name: string, hint: string): string[] {
  const values = parseList(core.getInput(name))
  if (values.length === 0) {
    throw new InputError(`input "${name}" is required and was not given`, {
      hint: `add it under "with:" in the workflow step: ${hint}`
    })
  }
  return values
}
