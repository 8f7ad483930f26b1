import * as core from '@actions/core'
import type { PublishResult } from '../publish.js'

/** Step outputs and the job summary: the only place results meet @actions/core. */
export async function report(results: readonly PublishResult[]): Promise<void> {
  core.setOutput('artifacts', JSON.stringify(results))
  const only = results.length === 1 ? results[0] : undefined
  if (only) {
    core.setOutput('digest', only.digest)
    core.setOutput('digest-url', only.url)
    core.setOutput('pushed', String(only.pushed))
  }
  await summary(results)
}

export async function summary(
  results: readonly PublishResult[],
  failures: readonly { component: string; message: string }[] = []
): Promise<void> {
  if (!process.env.GITHUB_STEP_SUMMARY) return
  core.summary.addHeading('fleetpack', 3)
  if (results.length > 0) {
    core.summary.addTable([
      [
        { data: 'component', header: true },
        { data: 'artifact', header: true },
        { data: 'tags', header: true },
        { data: 'pushed', header: true }
      ],
      ...results.map(r => [
        r.component,
        `<code>${escapeHtml(r.url)}</code>`,
        r.tags.map(t => `<code>${escapeHtml(t)}</code>`).join(' '),
        r.pushed ? 'yes' : 'no (unchanged)'
      ])
    ])
  }
  if (failures.length > 0) {
    core.summary.addHeading('Failed', 4)
    core.summary.addList(failures.map(f => `${escapeHtml(f.component)}: ${escapeHtml(f.message)}`))
  }
  await core.summary.write()
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
}
