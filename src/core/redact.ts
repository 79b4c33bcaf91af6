/**
 * Removes secrets from any text before it is logged, reported or recorded. Known secret values are
 * registered as config is resolved; common credential shapes are masked even when not registered.
 */
export class Redactor {
  private readonly secrets = new Set<string>()

  /** Registers a secret value (ignored when too short to be told apart from ordinary text). */
  add(secret: string | null | undefined): void {
    if (secret && secret.length >= 4) {
      this.secrets.add(secret)
      const enc = encodeURIComponent(secret)
      if (enc !== secret) this.secrets.add(enc)
    }
  }

  redact(text: string): string {
    let out = text
    for (const s of this.secrets) out = out.split(s).join('[REDACTED]')
    return out
      .replace(/(authorization["']?\s*[:=]\s*["']?)(bearer|basic|token)\s+[^\s"',}]+/gi, '$1$2 [REDACTED]')
      .replace(/\b(bearer)\s+[A-Za-z0-9._~+/=-]{8,}/gi, '$1 [REDACTED]')
      .replace(/((?:access_token|refresh_token|client_secret|api_key|apikey|password|token)["']?\s*[:=]\s*["']?)[^\s"'&,}]+/gi, '$1[REDACTED]')
      .replace(/(\/\/[^/\s:@]+:)[^@\s/]+@/g, '$1[REDACTED]@')
  }

  /** Deep-redacts a JSON-able value (strings anywhere inside). */
  redactValue<T>(value: T): T {
    return JSON.parse(this.redact(JSON.stringify(value) ?? 'null')) as T
  }
}
