import * as core from '@actions/core'
import { InputError } from '../errors.js'
import { toPlanInputs, toPublishInputs, toVerifyInputs } from '../options/inputs.js'
import type { PlanInputs } from '../plan.js'
import type { PromoteInputs } from '../promote.js'
import { readActionOptions } from '../options/read.js'
import type { PublishInputs } from '../publish.js'
import type { VerifyInputs } from '../verify/run.js'

export type ActionInputs =
  | { mode: 'publish'; publish: PublishInputs }
  | { mode: 'verify'; verify: VerifyInputs }
  | { mode: 'plan'; plan: PlanInputs }
  | { mode: 'promote'; promote: PromoteInputs }

/**
 * Reads the inputs of action.yml once (the table in options/table.ts): the
 * mode, then that mode's typed inputs. Secrets are masked as they are read.
 */
export async function readActionInputs(
  env: Readonly<Record<string, string | undefined>> = process.env
): Promise<ActionInputs> {
  const mode = core.getInput('mode') || 'publish'
  if (mode !== 'publish' && mode !== 'verify' && mode !== 'plan' && mode !== 'promote') {
    throw new InputError(`mode: "${mode}" is not publish, verify, plan or promote`, {
      hint: 'use mode: publish (the default), verify, plan or promote'
    })
  }
  const values = readActionOptions(mode, name => core.getInput(name))
  const context = { surface: 'action' as const, env, onSecret: (s: string) => core.setSecret(s) }
  if (mode === 'plan') return { mode, plan: toPlanInputs(values, context) }
  if (mode === 'promote')
    return {
      mode,
      promote: {
        ...(await toVerifyInputs(values, context)),
        to: (values.to as string[]) ?? [],
        toRepository: values.toRepository as string | undefined
      }
    }
  return mode === 'publish'
    ? { mode, publish: await toPublishInputs(values, context) }
    : { mode, verify: await toVerifyInputs(values, context) }
}
