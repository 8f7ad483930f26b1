import { runTool } from './tools.js'

/** A repository's tags as skopeo (an independent client) lists them, sorted. */
export async function listTags(host: string, repository: string): Promise<string[]> {
  const listed = await runTool('skopeo', [
    'list-tags',
    '--tls-verify=false',
    `docker://${host}/${repository}`
  ])
  return (JSON.parse(listed.stdout) as { Tags: string[] }).Tags.sort()
}
