import { z } from 'zod'
import type { ConfigSpec } from '../../../src/core/config-spec.js'

const hostList = z
  .union([z.array(z.string()), z.string()])
  .optional()
  .transform((v) => (typeof v === 'string' ? v.split(/[\s,]+/).filter(Boolean) : (v ?? [])))

const rawSchema = z.object({
  /** `acme` for https://acme.zendesk.com; `baseUrl` wins when both are given. */
  subdomain: z.string().regex(/^[a-z0-9][a-z0-9-]*$/i, 'ZENDESK_SUBDOMAIN is the account name only, e.g. `acme` for acme.zendesk.com').optional(),
  /** The API root including `/api/v2` (a simulator, a host-mapped account). */
  baseUrl: z.string().url().optional(),
  email: z.string().min(1).optional(),
  apiToken: z.string().min(1).optional(),
  oauthToken: z.string().min(1).optional(),
  /**
   * More hosts whose `<img>` in comment bodies are the account's own attachments (downloaded as inline
   * attachments), beside `<subdomain>.zendesk.com`; comma-separated in `ZENDESK_ATTACHMENT_HOSTS`.
   */
  attachmentHosts: hostList,
})

export type ZendeskAuth = { readonly kind: 'token'; readonly email: string; readonly apiToken: string } | { readonly kind: 'oauth'; readonly token: string }

export interface ZendeskConfig {
  readonly baseUrl: string
  readonly auth: ZendeskAuth
  readonly attachmentHosts: readonly string[]
}

export const zendeskConfigSchema: z.ZodType<ZendeskConfig, z.ZodTypeDef, unknown> = rawSchema.transform((c, ctx): ZendeskConfig => {
  const baseUrl = c.baseUrl ?? (c.subdomain ? `https://${c.subdomain}.zendesk.com/api/v2` : undefined)
  if (baseUrl === undefined) {
    ctx.addIssue({ code: 'custom', path: ['subdomain'], message: 'set ZENDESK_SUBDOMAIN (e.g. `acme` for acme.zendesk.com) or ZENDESK_BASE_URL' })
    return z.NEVER
  }
  let auth: ZendeskAuth
  if (c.oauthToken) auth = { kind: 'oauth', token: c.oauthToken }
  else if (c.email && c.apiToken) auth = { kind: 'token', email: c.email, apiToken: c.apiToken }
  else {
    ctx.addIssue({
      code: 'custom',
      path: [c.email ? 'apiToken' : 'email'],
      message: 'set ZENDESK_EMAIL and ZENDESK_API_TOKEN (Admin Center > Apps and integrations > Zendesk API), or ZENDESK_OAUTH_TOKEN',
    })
    return z.NEVER
  }
  // Endpoint paths are appended to it, so a trailing slash would double up.
  return { baseUrl: baseUrl.replace(/\/+$/, ''), auth, attachmentHosts: c.attachmentHosts }
})

/** Env vars and secrets of the Zendesk config; both tokens are redacted everywhere. */
export const zendeskConfigSpec: ConfigSpec<ZendeskConfig> = {
  schema: zendeskConfigSchema,
  env: {
    subdomain: 'ZENDESK_SUBDOMAIN',
    baseUrl: 'ZENDESK_BASE_URL',
    email: 'ZENDESK_EMAIL',
    apiToken: 'ZENDESK_API_TOKEN',
    oauthToken: 'ZENDESK_OAUTH_TOKEN',
    attachmentHosts: 'ZENDESK_ATTACHMENT_HOSTS',
  },
  sensitive: ['apiToken', 'oauthToken'],
}

/** The `Authorization` header value (Basic `{email}/token:{token}`, or the OAuth bearer). */
export function authorizationOf(auth: ZendeskAuth): string {
  return auth.kind === 'oauth' ? `Bearer ${auth.token}` : `Basic ${Buffer.from(`${auth.email}/token:${auth.apiToken}`).toString('base64')}`
}

/** The hosts an `<img>` must be on to be one of the account's attachments: its own and the configured ones. */
export function attachmentHostsOf(config: ZendeskConfig): string[] {
  const own = new URL(config.baseUrl)
  // The account's `/attachments/token/…` URLs live on its API origin (sources.md §2.2).
  return [...new Set([`${own.host}/attachments/`, ...config.attachmentHosts])]
}
