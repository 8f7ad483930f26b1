import * as core from '@actions/core'
import type { PublishLogger } from '../publish.js'
import { neutraliseCommands } from '../text.js'

/**
 * The pipeline's logger on a runner: groups, warnings, debug and masking.
 * core.info prints its text raw (warning, debug and group titles are escaped
 * by @actions/core), so every line it prints is neutralised: whatever a
 * registry or a file name put into a message cannot become a workflow command.
 */
export const actionLogger: PublishLogger = {
  info: message => core.info(neutraliseCommands(message)),
  warning: message => core.warning(message),
  debug: message => core.debug(message),
  group: (title, lines) => {
    core.startGroup(title)
    for (const line of lines) core.info(neutraliseCommands(line))
    core.endGroup()
  },
  secret: value => core.setSecret(value)
}
