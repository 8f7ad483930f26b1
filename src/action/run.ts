import * as core from '@actions/core'
import { describeError } from '../errors.js'
import { PublishError, publish } from '../publish.js'
import type { ActionInputs } from './inputs.js'
import { actionLogger } from './logger.js'
import { report, reportPlan, reportVerified, summary } from './report.js'

/**
 * One run of the action on typed inputs: publish or verify, then outputs and
 * the job summary. Failures end as `core.setFailed`, never as a throw, so a
 * caller (the entry, or a test in-process) sees the runner's view of it.
 */
export async function run(inputs: ActionInputs): Promise<void> {
  try {
    if (inputs.mode === 'verify') {
      const { verifyReferences } = await import('../verify/run.js')
      await reportVerified(await verifyReferences(inputs.verify))
    } else if (inputs.mode === 'promote') {
      const { promote } = await import('../promote.js')
      const promoted = await promote(inputs.promote, actionLogger)
      core.setOutput('digest', promoted.digest)
      core.setOutput('digest-url', `oci://${promoted.repository}@${promoted.digest}`)
      await reportVerified([{ reference: promoted.reference, ...promoted.verified }])
    } else if (inputs.mode === 'plan') {
      const { plan } = await import('../plan.js')
      await reportPlan(await plan(inputs.plan, actionLogger))
    } else await report(await publish(inputs.publish, actionLogger))
  } catch (error) {
    if (error instanceof PublishError) {
      // Whatever did publish is still reported, so a rerun's logs can be compared.
      core.setOutput('artifacts', JSON.stringify(error.summary.artifacts))
      await summary(
        error.summary,
        error.failures.map(f => ({ component: f.component, message: describeError(f.error) }))
      ).catch(() => undefined)
    }
    core.setFailed(describeError(error))
  }
}
