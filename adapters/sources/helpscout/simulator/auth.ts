import { hash32, SALT } from './rng.js'

/** OAuth2 client-credentials tokens, as served by `POST /v2/oauth2/token`. */

export interface TokenGrant {
  clientId: string | null
  clientSecret: string | null
  grantType: string | null
}

/**
 * Reads the grant from a JSON body, a form body or query params (Help Scout accepts all three).
 * Body values win over query values.
 */
export function readGrant(contentType: string | undefined, body: Buffer, query: URLSearchParams): TokenGrant {
  const fields = new Map<string, string>()
  for (const [k, v] of query) fields.set(k, v)
  const text = body.toString('utf8')
  if (text.trim()) {
    if ((contentType ?? '').includes('json') || text.trim().startsWith('{')) {
      try {
        const parsed: unknown = JSON.parse(text)
        if (parsed && typeof parsed === 'object') {
          for (const [k, v] of Object.entries(parsed)) if (typeof v === 'string') fields.set(k, v)
        }
      } catch {
        // Unparseable JSON leaves the grant incomplete, which answers 400 like a missing field.
      }
    } else {
      for (const [k, v] of new URLSearchParams(text)) fields.set(k, v)
    }
  }
  return { clientId: fields.get('client_id') ?? null, clientSecret: fields.get('client_secret') ?? null, grantType: fields.get('grant_type') ?? null }
}

export type TokenCheck = 'ok' | 'missing' | 'invalid' | 'expired'

export class TokenStore {
  private readonly expiries = new Map<string, number>()
  private issued = 0

  constructor(
    private readonly seed: number,
    private readonly ttlSeconds: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Issues a new bearer token. Values look random but follow from the seed and issue count. */
  issue(): { access_token: string; token_type: 'bearer'; expires_in: number } {
    this.issued++
    const parts = [1, 2, 3, 4].map((k) => hash32(this.seed, this.issued, SALT.token, k).toString(16).padStart(8, '0'))
    const token = `sim${parts.join('')}`
    this.expiries.set(token, this.now() + this.ttlSeconds * 1000)
    return { access_token: token, token_type: 'bearer', expires_in: Math.ceil(this.ttlSeconds) }
  }

  check(authorization: string | undefined): TokenCheck {
    if (!authorization) return 'missing'
    const m = /^Bearer\s+(\S+)$/i.exec(authorization.trim())
    if (!m) return 'invalid'
    const expiry = this.expiries.get(m[1]!)
    if (expiry === undefined) return 'invalid'
    return this.now() >= expiry ? 'expired' : 'ok'
  }
}
