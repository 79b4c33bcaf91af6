/** Zendesk API authentication: Basic `{email}/token:{api_token}` or OAuth `Bearer {access_token}`. */

export interface Credentials {
  email: string
  apiToken: string
  oauthToken: string
}

export type AuthResult = { ok: true } | { ok: false; email: string | null }

export function checkAuth(authorization: string | undefined, c: Credentials): AuthResult {
  const header = (authorization ?? '').trim()
  const bearer = /^Bearer\s+(\S+)$/i.exec(header)
  if (bearer) return bearer[1] === c.oauthToken ? { ok: true } : { ok: false, email: null }
  const basic = /^Basic\s+(\S+)$/i.exec(header)
  if (!basic) return { ok: false, email: null }
  const decoded = Buffer.from(basic[1]!, 'base64').toString('utf8')
  const colon = decoded.indexOf(':')
  const user = colon < 0 ? decoded : decoded.slice(0, colon)
  const secret = colon < 0 ? '' : decoded.slice(colon + 1)
  // Password access is disabled on the simulated account (as on new Zendesk accounts): only `/token` works.
  const ok = user === `${c.email}/token` && secret === c.apiToken
  return ok ? { ok: true } : { ok: false, email: user.replace(/\/token$/, '') || null }
}
