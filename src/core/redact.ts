/**
 * Removes secrets from any text before it is logged, reported or recorded — and nothing else: hosts,
 * database names, user names and HTTP methods stay readable, since they are what an operator debugs with.
 * Known secret values are registered as config is resolved; common credential shapes are masked even when
 * not registered.
 */
export class Redactor {
  private readonly secrets = new Set<string>()

  /**
   * Registers a secret value (ignored when too short to be told apart from ordinary text). A URL is not a
   * secret as a whole: only the password it carries (and secret-looking query values, masked by pattern).
   */
  add(secret: string | null | undefined): void {
    if (!secret) return
    const url = credentialsOf(secret)
    if (url) {
      this.addValue(url.password)
      return
    }
    this.addValue(secret)
  }

  private addValue(secret: string): void {
    if (secret.length < 4) return
    this.secrets.add(secret)
    for (const enc of [encodeURIComponent(secret), safeDecode(secret)]) if (enc && enc !== secret && enc.length >= 4) this.secrets.add(enc)
  }

  redact(text: string): string {
    let out = text
    // Longest first, so a secret that contains another is masked whole.
    for (const s of [...this.secrets].sort((a, b) => b.length - a.length)) out = out.split(s).join('[REDACTED]')
    return (
      out
        .replace(/(authorization["']?\s*[:=]\s*["']?)(bearer|basic|token)\s+[^\s"',}]+/gi, '$1$2 [REDACTED]')
        .replace(/\b(bearer)\s+[A-Za-z0-9._~+/=-]{8,}/gi, '$1 [REDACTED]')
        // A key that names a secret, then its value. Not after a dot or slash (`oauth2.token: POST …` names a
        // call, not a value), and never MySQL's "(using password: YES)", which says only whether one was sent.
        .replace(
          /((?<![\w./-])(?:access_token|refresh_token|client_secret|app_secret|api_key|apikey|password|passwd|secret|token)["']?\s*[:=]\s*["']?)(?!(?:YES|NO)\))(?!\[REDACTED\])[^\s"'&,;)}]+/gi,
          '$1[REDACTED]',
        )
        // user:password@ in any URL: the user and host stay.
        .replace(/(\/\/[^/\s:@]+:)(?!\[REDACTED\]@)[^@\s/]+@/g, '$1[REDACTED]@')
    )
  }

  /** Deep-redacts a JSON-able value (strings anywhere inside). */
  redactValue<T>(value: T): T {
    return JSON.parse(this.redact(JSON.stringify(value) ?? 'null')) as T
  }
}

/** The credentials of a URL-shaped value (`scheme://user:pass@host/…`), or null when it is not a URL. */
function credentialsOf(value: string): { password: string } | null {
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) return null
  try {
    const u = new URL(value)
    return { password: safeDecode(u.password) }
  } catch {
    const m = /^[a-z][a-z0-9+.-]*:\/\/[^/\s:@]*:([^@\s/]*)@/i.exec(value)
    return m ? { password: safeDecode(m[1] ?? '') } : null
  }
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s)
  } catch {
    return s
  }
}
