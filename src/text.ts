/**
 * Text from outside (registry error bodies, token servers, certificate
 * subjects, file names) on its way to a log, the job summary or an output.
 *
 * A GitHub runner reads every line a step prints, on stdout and stderr, as a
 * possible workflow command (`::warning::`, `::add-mask::`, `::stop-commands::`,
 * the deprecated `::set-output::`). Two rules keep outside text from becoming
 * one: it never carries a line break or another control character
 * (quoteExternal, where it enters a message), and no printed line starts with
 * `::` (neutraliseCommands, where lines leave for the log).
 */

/** Control characters (C0, DEL, C1) and Unicode line and paragraph separators, shown escaped. */
// eslint-disable-next-line no-control-regex
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g

/** Outside text as one printable line: control characters become visible \xNN or \uNNNN escapes. */
export function quoteExternal(text: string): string {
  return text.replace(UNPRINTABLE, c => {
    const code = c.charCodeAt(0)
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16)}`
  })
}

/** A tool's multi-line output: each line quoted on its own, the line breaks kept. */
export function quoteExternalLines(text: string): string {
  return text
    .split(/\r?\n/)
    .map(line => quoteExternal(line))
    .join('\n')
}

/** Whether a name holds a character that quoteExternal would escape. */
export function hasControlCharacters(text: string): boolean {
  UNPRINTABLE.lastIndex = 0
  return UNPRINTABLE.test(text)
}

/**
 * Each line of `text` as printed to a runner's log: a line that would start
 * with `::` (after white space, which the runner trims) gets a zero-width
 * space in front, which the runner does not trim and a reader does not see.
 */
export function neutraliseCommands(text: string): string {
  return text.replace(/^(\s*)::/gm, '$1\u200b::')
}

/** A value as a regular expression that matches it literally (for RE2 and JavaScript alike). */
export function escapeRegExp(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')
}
