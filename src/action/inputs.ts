import * as core from '@actions/core'
import { InputError } from '../errors.js'
import { toPlanInputs, toPublishInputs, toVerifyInputs } from '../options/inputs.js'
import type { PlanInputs } from '../plan.js'
import { readActionOptions } from '../options/read.js'
import type { PublishInputs } from '../publish.js'
import type { VerifyInputs } from '../verify/run.js'

export type ActionInputs =
  | { mode: 'publish'; publish: PublishInputs }
  | { mode: 'verify'; verify: VerifyInputs }
  | { mode: 'plan'; plan: PlanInputs }

/**
 * Reads the inputs of action.yml once (the table in options/table.ts): the
 * mode, then that mode's typed inputs. Secrets are masked as they are read.
 */
export async function readActionInputs(
  env: Readonly<Record<string, string | undefined>> = process.env
): Promise<ActionInputs> {
  const mode = core.getInput('mode') || 'publish'
  if (mode !== 'publish' && mode !== 'verify' && mode !== 'plan') {
    throw new InputError(`mode: "${mode}" is not publish, verify or plan`, {
      hint: 'use mode: publish (the default), mode: verify or mode: plan'
    })
  }
  const values = readActionOptions(mode, name => core.getInput(name))
  const context = { surface: 'action' as const, env, onSecret: (s: string) => core.setSecret(s) }
  if (mode === 'plan') return { mode, plan: toPlanInputs(values, context) }
  return mode === 'publish'
    ? { mode, publish: await toPublishInputs(values, context) }
    : { mode, verify: await toVerifyInputs(values, context) }
}
