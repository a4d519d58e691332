// WWW-Authenticate challenges (RFC 7235), as containers/image's wwwauthenticate.go reads them.
// fetch's Headers joins repeated header fields with ", ", so unlike containers/image this parser
// also splits several challenges out of one value.

export interface AuthChallenge {
  /** lowercase: "bearer", "basic", ... */
  scheme: string
  /** lowercase keys: realm, service, scope, error, error_description ... */
  parameters: Record<string, string>
}

const TOKEN_CHAR = /[!#$%&'*+\-.^_`|~0-9A-Za-z]/

export function parseWwwAuthenticate(header: string | null | undefined): AuthChallenge[] {
  if (!header) return []
  const challenges: AuthChallenge[] = []
  let i = 0
  const skipSpace = (): void => {
    while (i < header.length && (header[i] === ' ' || header[i] === '\t')) i++
  }
  const token = (): string => {
    const start = i
    while (i < header.length && TOKEN_CHAR.test(header[i])) i++
    return header.slice(start, i)
  }
  const quoted = (): string | undefined => {
    let value = ''
    for (i++; i < header.length; i++) {
      const c = header[i]
      if (c === '"') {
        i++
        return value
      }
      if (c === '\\' && i + 1 < header.length) i++
      value += header[i]
    }
    return undefined // unterminated
  }

  for (;;) {
    skipSpace()
    while (header[i] === ',') {
      i++
      skipSpace()
    }
    const scheme = token()
    if (scheme === '') return challenges
    const challenge: AuthChallenge = {scheme: scheme.toLowerCase(), parameters: {}}
    challenges.push(challenge)
    skipSpace()
    // auth-params until something that is not "key=value": the next challenge's scheme
    for (;;) {
      const start = i
      const key = token()
      skipSpace()
      if (key === '' || header[i] !== '=') {
        i = start
        break
      }
      i++
      skipSpace()
      const value = header[i] === '"' ? quoted() : token()
      if (value === undefined || value === '') return challenges
      challenge.parameters[key.toLowerCase()] = value
      skipSpace()
      if (header[i] !== ',') break
      i++
      skipSpace()
    }
    if (i < header.length && header[i] !== ',' && !TOKEN_CHAR.test(header[i])) return challenges
  }
}
