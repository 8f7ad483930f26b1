import * as core from '@actions/core'
import { readActionInputs } from './action/inputs.js'
import { actionLogger } from './action/logger.js'
import { report, reportVerified, summary } from './action/report.js'
import { describeError } from './errors.js'
import { PublishError, publish } from './publish.js'
import { verifyReferences } from './verify/run.js'

// The action entry: read the inputs once, run, report. Nothing else here.
try {
  const inputs = readActionInputs()
  if (inputs.mode === 'verify') await reportVerified(await verifyReferences(inputs.verify))
  else await report(await publish(inputs.publish, actionLogger))
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
