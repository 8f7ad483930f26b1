import * as core from '@actions/core'
import type { PublishLogger } from '../publish.js'

/** The pipeline's logger on a runner: groups, warnings, debug and masking. */
export const actionLogger: PublishLogger = {
  info: message => core.info(message),
  warning: message => core.warning(message),
  debug: message => core.debug(message),
  group: (title, lines) => {
    core.startGroup(title)
    for (const line of lines) core.info(line)
    core.endGroup()
  },
  secret: value => core.setSecret(value)
}
