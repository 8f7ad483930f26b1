import * as core from '@actions/core'
import type { ComponentResult } from '../run.js'

/** Step outputs and the job summary: the only place results meet @actions/core. */
export async function report(results: readonly ComponentResult[]): Promise<void> {
  core.setOutput('artifacts', JSON.stringify(results))
  if (results.length === 1 && results[0]) core.setOutput('digest', results[0].digest)

  await core.summary
    .addHeading('fleetpack', 3)
    .addTable([
      [
        { data: 'component', header: true },
        { data: 'path', header: true },
        { data: 'manifest digest', header: true },
        { data: 'files', header: true }
      ],
      ...results.map(r => [r.component, r.path, `<code>${r.digest}</code>`, String(r.files)])
    ])
    .write()
}
