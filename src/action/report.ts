import * as core from '@actions/core'
import type { Plan } from '../plan.js'
import type { PublishSummary } from '../publish.js'
import { escapeRegExp, neutraliseCommands, quoteExternal } from '../text.js'
import type { VerifiedReference } from '../verify/run.js'
import { FLUX_VERSIONS, fluxTable } from '../verify/flux.js'

/** Step outputs and the job summary: the only place results meet @actions/core. */
export async function report(published: PublishSummary): Promise<void> {
  const results = published.artifacts
  core.setOutput('artifacts', JSON.stringify(results))
  if (published.identity) {
    core.setOutput('identity', published.identity.subject)
    core.setOutput('issuer', published.identity.issuer)
  }
  const only = results.length === 1 ? results[0] : undefined
  if (only) {
    core.setOutput('digest', only.digest)
    core.setOutput('digest-url', only.url)
    core.setOutput('pushed', String(only.pushed))
  }
  await summary(published)
}

export async function summary(
  published: PublishSummary,
  failures: readonly { component: string; message: string }[] = []
): Promise<void> {
  const results = published.artifacts
  if (!process.env.GITHUB_STEP_SUMMARY) return
  core.summary.addHeading('fleetpack', 3)
  if (results.length > 0) {
    core.summary.addTable([
      [
        { data: 'component', header: true },
        { data: 'artifact', header: true },
        { data: 'tags', header: true },
        { data: 'pushed', header: true },
        { data: 'signed', header: true }
      ],
      ...results.map(r => [
        r.component,
        `<code>${escapeHtml(r.url)}</code>`,
        r.tags.map(t => `<code>${escapeHtml(t)}</code>`).join(' '),
        r.pushed ? 'yes' : 'no (unchanged)',
        r.signed ? `yes (Rekor ${r.rekorLogIndex})` : 'no'
      ])
    ])
  }
  if (published.identity) {
    core.summary.addHeading('Flux verification', 4)
    core.summary.addRaw(
      `<p>Signed by <code>${escapeHtml(published.identity.subject)}</code> (issuer <code>${escapeHtml(published.identity.issuer)}</code>). Paste into each <code>OCIRepository</code> spec:</p>`,
      true
    )
    core.summary.addCodeBlock(fluxVerifyBlock(published.identity), 'yaml')
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

/** An OCIRepository spec.verify block whose regexes match exactly this identity. */
export function fluxVerifyBlock(identity: { subject: string; issuer: string }): string {
  return [
    'verify:',
    '  provider: cosign',
    '  matchOIDCIdentity:',
    `    - issuer: '^${escapeRegExp(identity.issuer)}$'`,
    `      subject: '^${escapeRegExp(identity.subject)}$'`
  ].join('\n')
}

/** Outputs and summary of mode: verify. */
export async function reportVerified(results: readonly VerifiedReference[]): Promise<void> {
  core.setOutput('verified', JSON.stringify(results))
  for (const result of results) {
    for (const warning of result.warnings) core.warning(`${result.reference}: ${warning}`)
    core.info(
      neutraliseCommands(
        quoteExternal(
          `${result.reference}: ${result.digest} verified (${result.format}, as Flux ${result.fluxVersion}) for ${result.signatures.map(s => s.identity).join(', ')}`
        )
      )
    )
    for (const line of fluxTable(result.flux).split('\n'))
      core.info(neutraliseCommands(`  ${quoteExternal(line.trim())}`))
  }
  if (!process.env.GITHUB_STEP_SUMMARY) return
  await core.summary
    .addHeading('fleetpack verify', 3)
    .addTable([
      [
        { data: 'artifact', header: true },
        { data: 'digest', header: true },
        { data: 'verified by', header: true },
        { data: 'signed by', header: true },
        ...FLUX_VERSIONS.map(v => ({ data: `Flux ${v}`, header: true }))
      ],
      ...results.map(r => [
        `<code>${escapeHtml(r.reference)}</code>`,
        `<code>${r.digest}</code>`,
        r.format,
        r.signatures.map(s => `<code>${escapeHtml(s.identity)}</code>`).join(' '),
        ...FLUX_VERSIONS.map(v => {
          const verdict = r.flux.find(f => f.flux === v)
          return verdict ? `${verdict.verdict} (${verdict.path})` : ''
        })
      ])
    ])
    .write()
}

/** mode: plan: the plan and the matrix as outputs, and a table of what would change. */
export async function reportPlan(plan: Plan): Promise<void> {
  const changed = plan.components.filter(c => c.changed)
  core.setOutput('plan', JSON.stringify(plan.components))
  core.setOutput('matrix', JSON.stringify(plan.matrix))
  core.setOutput('changed', String(changed.length))
  const rows = plan.components.map(c => [
    { data: quoteExternal(c.component) },
    { data: c.changed ? 'changes' : 'unchanged' },
    { data: quoteExternal(c.reason) }
  ])
  core.summary
    .addHeading(`fleetpack plan: ${changed.length} of ${plan.components.length} would change`, 3)
    .addTable([
      [
        { data: 'component', header: true },
        { data: 'would', header: true },
        { data: 'why', header: true }
      ],
      ...rows
    ])
  for (const component of changed) {
    if (!component.diff || component.diff.files.length === 0) continue
    const items = component.diff.files.map(file => {
      const resources = (file.resources ?? []).map(
        r =>
          `<li>${html(r.change)} ${html(r.resource)}${r.fields?.length ? `: ${r.fields.map(html).join(', ')}` : ''}</li>`
      )
      return `<li>${html(file.change)} <code>${html(file.file)}</code>${resources.length > 0 ? `<ul>${resources.join('')}</ul>` : ''}</li>`
    })
    core.summary.addRaw(
      `<details><summary>${html(component.component)}: ${component.diff.files.length} file${component.diff.files.length === 1 ? '' : 's'}${component.diff.truncated ? ' (more not shown)' : ''}</summary><ul>${items.join('')}</ul></details>`,
      true
    )
  }
  await core.summary.write()
}

/** Outside text (file and resource names from a registry's artifact) as HTML text. */
function html(text: string): string {
  return quoteExternal(text).replace(/[&<>"']/g, c => `&#${c.charCodeAt(0)};`)
}
