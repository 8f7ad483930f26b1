/**
 * WWW-Authenticate parsing per RFC 7235: several challenges may share one
 * header, and quoted values may contain commas (Bearer scopes often do).
 */
export interface Challenge {
  /** Lowercased: "bearer", "basic". */
  scheme: string
  params: Record<string, string>
}

export function parseChallenges(header: string): Challenge[] {
  const challenges: Challenge[] = []
  let i = 0
  const skip = (pattern: RegExp) => {
    while (i < header.length && pattern.test(header[i] as string)) i++
  }
  const token = () => {
    const start = i
    skip(/[!#$%&'*+\-.^_`|~0-9A-Za-z]/)
    return header.slice(start, i)
  }
  while (i < header.length) {
    skip(/[\s,]/)
    const scheme = token()
    if (scheme === '') {
      i++
      continue
    }
    const challenge: Challenge = { scheme: scheme.toLowerCase(), params: {} }
    challenges.push(challenge)
    for (;;) {
      skip(/[\s,]/)
      const mark = i
      const name = token()
      skip(/\s/)
      if (name === '' || header[i] !== '=') {
        i = mark // the next challenge's scheme, or a token68 we do not use
        break
      }
      i++ // '='
      skip(/\s/)
      let value = ''
      if (header[i] === '"') {
        i++
        while (i < header.length && header[i] !== '"') {
          if (header[i] === '\\') i++
          value += header[i] ?? ''
          i++
        }
        i++
      } else {
        value = token()
      }
      challenge.params[name.toLowerCase()] = value
    }
  }
  return challenges
}
