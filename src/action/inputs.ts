import * as core from '@actions/core'
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
    paths: parseList(core.getInput('paths', { required: true })),
    ignorePaths: parseList(core.getInput('ignore-paths')),
    annotations: parseAnnotations(parseList(core.getInput('annotations')), 'annotations'),
    source: core.getInput('source') || undefined,
    revision: core.getInput('revision') || undefined
  }
}
