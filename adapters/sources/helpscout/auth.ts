// OAuth2 client-credentials session for the Help Scout API (sources.md §1.1). Token lifetimes reported by
// the vendor disagree (2 h vs 48 h), so expiry is never trusted: a 401 triggers one re-authentication.
import { AuthError, RemoteRequestError, RemoteUnavailableError } from '../../../src/core/errors.js'
import type { HttpClient, HttpRequest, JsonResponse, StreamResponse } from '../../../src/core/http.js'
import type { HelpScoutConfig } from './config.js'
import { tokenResponseSchema } from './wire.js'

const CREDENTIALS_HINT = 'check HELPSCOUT_APP_ID and HELPSCOUT_APP_SECRET (Help Scout: Your Profile > My Apps; the app must belong to an active user)'

/** The error for refused credentials: names the env vars, never carries the secret or the token. */
export function credentialsRefused(status: number): AuthError {
  return new AuthError(
    `Help Scout refused the app credentials (HTTP ${status}); check HELPSCOUT_APP_ID and HELPSCOUT_APP_SECRET`,
    { hint: CREDENTIALS_HINT },
  )
}

/** A request the session signs; `url` is absolute. */
export type SessionRequest = Omit<HttpRequest, 'headers'> & { readonly headers?: Readonly<Record<string, string>> }

/** Authenticated access to the API: every call carries a bearer token, a 401 re-authenticates once. */
export interface HelpScoutSession {
  /** Throws `AuthError` on a 401 that survives three fresh tokens. Every other status is returned. */
  requestJson(req: SessionRequest): Promise<JsonResponse>
  /** Same as `requestJson` for raw bytes; a refused second attempt's body is discarded. */
  requestStream(req: SessionRequest): Promise<StreamResponse>
  /** Obtains a token now (used by `check`); throws `AuthError` when the credentials are refused. */
  authenticate(signal: AbortSignal): Promise<void>
}

/**
 * The token endpoint's answer, JSON (as documented) or form-encoded (`access_token=…&token_type=bearer`, as
 * some OAuth2 servers answer a form-encoded request): either is accepted.
 */
export function parseTokenBody(text: string): unknown {
  const trimmed = text.trim()
  if (trimmed.startsWith('{')) {
    try {
      return JSON.parse(trimmed) as unknown
    } catch {
      return null
    }
  }
  const form = new URLSearchParams(trimmed)
  if (!form.has('access_token')) return null
  const expires = Number(form.get('expires_in'))
  return {
    access_token: form.get('access_token'),
    ...(form.has('token_type') ? { token_type: form.get('token_type') } : {}),
    ...(Number.isFinite(expires) && form.has('expires_in') ? { expires_in: expires } : {}),
  }
}

/**
 * POST {baseUrl}/oauth2/token, form-encoded as the OAuth2 standard says (RFC 6749 §4.4.2): the docs show
 * JSON, but the live endpoint has been reported to refuse it. Read as bytes so either answer format parses.
 */
async function fetchToken(http: HttpClient, config: HelpScoutConfig, signal: AbortSignal): Promise<string> {
  // The client retries a request that fails before its body; an answer that breaks off while its body is read
  // (reset, truncated) is asked for again here, a few times, then the vendor counts as unavailable (resumable).
  for (let attempt = 1; ; attempt++) {
    try {
      return await fetchTokenOnce(http, config, signal)
    } catch (e) {
      if (!(e instanceof BodyBrokenOff)) throw e
      if (attempt >= TOKEN_BODY_ATTEMPTS) {
        throw new RemoteUnavailableError(`Help Scout token endpoint: the answer broke off ${attempt} times (${e.message})`, { cause: e })
      }
    }
  }
}

const TOKEN_BODY_ATTEMPTS = 4

/** The token answer's body could not be read whole. */
class BodyBrokenOff extends Error {}

async function fetchTokenOnce(http: HttpClient, config: HelpScoutConfig, signal: AbortSignal): Promise<string> {
  const res = await http.requestStream({
    method: 'POST',
    url: `${config.baseUrl}/oauth2/token`,
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: config.appId, client_secret: config.appSecret }).toString(),
    signal,
    cost: 1,
    route: 'oauth2.token',
  })
  let text: string
  try {
    text = Buffer.concat(await res.body.toArray()).toString('utf8')
  } catch (e) {
    if (signal.aborted) throw e
    throw new BodyBrokenOff((e as Error).message || String(e))
  }
  // 400 is how OAuth servers answer an unknown client (invalid_client), 401/403 a refused one.
  if (res.status === 400 || res.status === 401 || res.status === 403) throw credentialsRefused(res.status)
  if (res.status < 200 || res.status >= 300) {
    throw new RemoteRequestError(res.status, res.url, `Help Scout token endpoint answered HTTP ${res.status}`)
  }
  const parsed = tokenResponseSchema.safeParse(parseTokenBody(text))
  if (!parsed.success) {
    throw new RemoteRequestError(res.status, res.url, 'Help Scout token endpoint answered without an access_token')
  }
  return parsed.data.access_token
}

/** Token renewals one request may make after 401s before the credentials count as refused. */
const MAX_RENEWALS = 3

export function createSession(http: HttpClient, config: HelpScoutConfig, addSecret: (secret: string) => void = () => {}): HelpScoutSession {
  let token: Promise<string> | null = null
  const current = (signal: AbortSignal): Promise<string> => {
    if (token === null) {
      token = fetchToken(http, config, signal).then((t) => {
        addSecret(t)
        return t
      })
      // A failed attempt must not be cached: the next call tries again.
      token.catch(() => { token = null })
    }
    return token
  }
  const renew = (used: Promise<string>, signal: AbortSignal): Promise<string> => {
    if (token === used) token = null
    return current(signal)
  }

  async function signed<R extends { status: number }>(req: SessionRequest, send: (r: HttpRequest) => Promise<R>, discard: (r: R) => void): Promise<R> {
    const signal = req.signal ?? new AbortController().signal
    const withToken = (t: string): HttpRequest => ({
      ...req,
      headers: { accept: 'application/json', ...req.headers, authorization: `Bearer ${t}` },
    })
    let used = current(signal)
    let res = await send(withToken(await used))
    // A 401 means the token expired: renew and resend. A token can expire again while a resend waits out 5xx
    // retries, so a few renewals are allowed; the token endpoint itself refuses wrong credentials (fetchToken),
    // so only an API that keeps refusing freshly issued tokens ends here as refused credentials.
    for (let renewals = 0; res.status === 401; renewals++) {
      discard(res)
      if (renewals === MAX_RENEWALS) throw credentialsRefused(401)
      used = renew(used, signal)
      res = await send(withToken(await used))
    }
    return res
  }

  return {
    requestJson: (req) => signed(req, (r) => http.requestJson(r), () => {}),
    requestStream: (req) => signed(req, (r) => http.requestStream(r), (r) => r.body.destroy()),
    async authenticate(signal) {
      await current(signal)
    },
  }
}
