// Generates a deterministic tree of Kubernetes-like YAML for benchmarks:
// FILES files spread over directories, TOTAL_MB megabytes in all. The text is
// pseudo-random words and numbers, so gzip works about as hard as on real
// manifests (ratio ~3-4x), not on trivially repetitive bytes.
import { mkdir, writeFile, readFile } from 'node:fs/promises'
import { join } from 'node:path'

const WORDS = (
  'apiVersion kind metadata name namespace labels annotations spec template containers image ' +
  'ports containerPort protocol TCP resources limits requests cpu memory env value valueFrom ' +
  'secretKeyRef configMapKeyRef volumeMounts mountPath volumes replicas selector matchLabels ' +
  'strategy rollingUpdate maxSurge maxUnavailable livenessProbe readinessProbe httpGet path ' +
  'port initialDelaySeconds periodSeconds serviceAccountName affinity tolerations nodeSelector'
).split(' ')

function random(seed) {
  let state = seed >>> 0 || 1
  return () => {
    state ^= state << 13
    state ^= state >>> 17
    state ^= state << 5
    return (state >>> 0) / 4294967296
  }
}

function yamlText(bytes, next) {
  const lines = []
  let size = 0
  while (size < bytes) {
    const depth = Math.floor(next() * 5)
    const key = WORDS[Math.floor(next() * WORDS.length)]
    const value =
      next() < 0.5
        ? WORDS[Math.floor(next() * WORDS.length)]
        : Math.floor(next() * 1e9).toString(36)
    const line = `${'  '.repeat(depth)}${key}: ${value}`
    lines.push(line)
    size += line.length + 1
  }
  return lines.join('\n').slice(0, bytes)
}

/** Writes the tree once; a marker file makes later runs reuse it. */
export async function generateTree(dir, { files, totalBytes, perDir = 200, seed = 42 }) {
  const marker = join(dir, '.bench-tree')
  const signature = JSON.stringify({ files, totalBytes, perDir, seed })
  try {
    if ((await readFile(marker, 'utf8')) === signature) return dir
  } catch {
    // not generated yet
  }
  const next = random(seed)
  const fileSize = Math.floor(totalBytes / files)
  for (let i = 0; i < files; i++) {
    const sub = join(dir, `group-${String(Math.floor(i / perDir)).padStart(3, '0')}`)
    if (i % perDir === 0) await mkdir(sub, { recursive: true })
    await writeFile(
      join(sub, `resource-${String(i).padStart(5, '0')}.yaml`),
      yamlText(fileSize, next)
    )
  }
  await writeFile(marker, signature)
  return dir
}
