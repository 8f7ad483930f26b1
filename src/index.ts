import * as core from '@actions/core'
import { readInputs } from './action/inputs.js'
import { report } from './action/report.js'
import { describeError } from './errors.js'
import { run } from './run.js'

// The action entry: read the inputs once, run, report. Nothing else here.
try {
  const results = await run(readInputs(), {
    info: message => core.info(message),
    error: message => core.error(message),
    group: (name, fn) => core.group(name, fn)
  })
  await report(results)
} catch (error) {
  core.setFailed(describeError(error))
}
