import * as core from '@actions/core'
import { readActionInputs, type ActionInputs } from './action/inputs.js'
import { run } from './action/run.js'
import { describeError } from './errors.js'

// Stack traces of unexpected errors point at src/ through the bundle's source map.
process.setSourceMapsEnabled(true)

// The action entry: read the inputs once into a typed object, then run.
let inputs: ActionInputs | undefined
try {
  inputs = await readActionInputs()
} catch (error) {
  core.setFailed(describeError(error))
}
if (inputs) await run(inputs)
