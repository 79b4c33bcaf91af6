import { nonNegativeInt, resolveCommonOptions, type CommonSimOptions, type ResolvedCommonOptions } from '../../../../src/kits/simulator/options.js'

/** Options of the Zendesk simulator; every field is optional. The shared ones (port, seed, rpm, faults, profile…) are the kit's. */
export interface ZendeskSimulatorOptions extends CommonSimOptions {
  /** Tickets in the account, deleted and archived ones included; default 200. */
  tickets?: number
  /** The incremental exports' own budget, requests per minute; default 10 (Zendesk's). */
  exportRpm?: number
  /** How long a signed attachment link stays valid, seconds; default 120. */
  linkTtlSeconds?: number
  subdomain?: string
  email?: string
  apiToken?: string
  oauthToken?: string
  /** Clock of the rate windows, link expiry and the export's one-minute window (default `Date.now`). */
  now?: () => number
}

export interface ResolvedZendeskOptions extends ResolvedCommonOptions {
  tickets: number
  exportRpm: number
  linkTtlMs: number
  subdomain: string
  email: string
  apiToken: string
  oauthToken: string
  now: () => number
}

/**
 * Zendesk's own fault kinds beside the kit's (`5xx`, `reset`, `slow`, `truncate`, `429`, `malformed`, `badutf8`):
 * `expired` makes that share of attachment redirects point at a signed link that has already expired.
 */
export const ZENDESK_FAULTS = ['expired'] as const

/** Zendesk Enterprise's account budget, requests per minute. */
export const ZENDESK_DEFAULT_RPM = 700

export function resolveZendeskOptions(o: ZendeskSimulatorOptions): ResolvedZendeskOptions {
  const common = resolveCommonOptions(o, ZENDESK_DEFAULT_RPM, ZENDESK_FAULTS)
  const exportRpm = o.exportRpm ?? 10
  if (!Number.isInteger(exportRpm) || exportRpm < 1) throw new Error('exportRpm must be a positive integer')
  const ttl = o.linkTtlSeconds ?? 120
  if (!(ttl > 0)) throw new Error('linkTtlSeconds must be positive')
  return {
    ...common,
    tickets: nonNegativeInt('tickets', o.tickets ?? 200),
    exportRpm,
    linkTtlMs: ttl * 1000,
    subdomain: o.subdomain ?? 'acme-sim',
    // Fixed, clearly fake credentials: the simulator protects nothing, the values only have to match.
    email: o.email ?? 'admin@acme-sim.example',
    apiToken: o.apiToken ?? `sim-api-token-${common.seed}-not-a-real-secret`,
    oauthToken: o.oauthToken ?? `sim-oauth-token-${common.seed}-not-a-real-secret`,
    now: o.now ?? Date.now,
  }
}
