// Prepares a release commit: pins every fleetpack/fleetpack reference to the
// commit being released (see scripts/lib/release.ts) and writes the release
// notes from CHANGELOG.md. The release workflow runs it, commits, tags and
// publishes; `--dry-run` only prints what would change.
//
//   node scripts/release.mjs <version> <commit> [--dry-run] [--notes FILE]
import { writeFile } from 'node:fs/promises'
import { resolve } from 'node:path'
import { applyRelease, planRelease } from './lib/release.ts'

const root = resolve(import.meta.dirname, '..')
const args = process.argv.slice(2)
const [version, commit] = args.filter(a => !a.startsWith('--') && !a.endsWith('.md'))
const notesFile = args.includes('--notes') ? args[args.indexOf('--notes') + 1] : undefined
try {
  const plan = await planRelease(root, version ?? '', commit ?? '')
  for (const [path] of plan.changes) console.error(`release: pins ${path} to ${plan.commit}`)
  if (notesFile) await writeFile(notesFile, `${plan.notes}\n`)
  if (args.includes('--dry-run')) console.log(JSON.stringify([...plan.changes.keys()]))
  else await applyRelease(root, plan)
} catch (error) {
  console.error(`release: ${error instanceof Error ? error.message : String(error)}`)
  process.exit(1)
}
