// Options of the Znuny simulator and its own fault kinds beside the kit's.
import { FAULT_KINDS } from '../../../../src/kits/simulator/faults.js'
import { nonNegativeInt, resolveCommonOptions, type CommonSimOptions, type ResolvedCommonOptions } from '../../../../src/kits/simulator/options.js'
import { ZNUNY_VERSIONS, type ZnunyVersion } from './ticket-create.js'
import type { ScalarFieldFilter } from './ticket-search.js'

export interface ZnunySimOptions extends CommonSimOptions {
  /** Znuny line: 7.1 (Article arrays, default), 7.0 or 6.5 (one article per call). */
  version?: ZnunyVersion
  /** Keep the state in a Znuny-schema database (built as the stand-in when the database is empty). */
  dbUrl?: string
  /** Agent login and password (also the seeded customer user's password). */
  user?: string
  password?: string
  /** Requests a session serves before it answers AuthFail; default: never expires. */
  sessionRequests?: number
  /** Replace 4-byte UTF-8 by U+FFFD (Znuny on MySQL). Default: true, except on a PostgreSQL `dbUrl`. */
  replaceFourByte?: boolean
  /** The SysConfig SendmailModule the stand-in records (default Znuny's `Kernel::System::Email::Sendmail`). */
  sendmailModule?: string
  /** The clock (tests); default the real one. */
  now?: () => Date
  /** TicketSearch's treatment of a bare `DynamicField_<Name>=value` (see ticket-search.ts); default `equals`. */
  scalarFieldFilter?: ScalarFieldFilter
  /** Emulate Znuny's TicketGet cache (see ModelOptions.cache); default off. */
  cache?: boolean
  /** Largest request body, default the sample web service's MaxLength (100 MB); bigger ones get HTTP 413. */
  maxBodyBytes?: number
}

/** Faults only Znuny has: `crash` (die after the first article: half-made ticket, no HTTP answer), `authfail` (session lost). */
export const ZNUNY_FAULT_KINDS = ['crash', 'authfail'] as const
export type ZnunyFaultKind = (typeof ZNUNY_FAULT_KINDS)[number]

export interface ResolvedZnunyOptions extends ResolvedCommonOptions {
  version: ZnunyVersion
  dbUrl: string | null
  user: string
  password: string
  sessionRequests: number | null
  replaceFourByte: boolean
  sendmailModule: string
  now: () => Date
  maxBodyBytes: number
  cache: boolean
  scalarFieldFilter: ScalarFieldFilter
  znunyFaults: Readonly<Record<ZnunyFaultKind, number>>
}

/** Splits `crash=0.1,authfail=0.05,5xx=0.02` into Znuny's own rates and the kit's spec. */
export function splitFaultSpec(spec: string | undefined): { own: Record<ZnunyFaultKind, number>; kit: string } {
  const own: Record<ZnunyFaultKind, number> = { crash: 0, authfail: 0 }
  const kit: string[] = []
  for (const part of (spec ?? '').split(',')) {
    const [kind = '', rate] = part.split('=').map((s) => s.trim())
    if (!(ZNUNY_FAULT_KINDS as readonly string[]).includes(kind)) {
      if (part.trim()) kit.push(part.trim())
      continue
    }
    const r = Number(rate)
    if (rate === undefined || rate === '' || !Number.isFinite(r) || r < 0 || r > 1) throw new Error(`fault rate for "${kind}" must be a number between 0 and 1`)
    own[kind as ZnunyFaultKind] = r
  }
  return { own, kit: kit.join(',') }
}

export function resolveZnunyOptions(o: ZnunySimOptions): ResolvedZnunyOptions {
  const { own, kit } = splitFaultSpec(o.faults)
  let common: ResolvedCommonOptions
  try {
    common = resolveCommonOptions({ ...o, faults: kit }, null)
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e)
    throw new Error(msg.replace(/\(expected one of [^)]*\)/, `(expected one of ${[...FAULT_KINDS, ...ZNUNY_FAULT_KINDS].join(', ')})`))
  }
  const version = o.version ?? '7.1'
  if (!ZNUNY_VERSIONS.includes(version)) throw new Error(`version must be one of ${ZNUNY_VERSIONS.join(', ')}`)
  const dbUrl = o.dbUrl ?? null
  return {
    ...common,
    version,
    dbUrl,
    user: o.user ?? 'root@localhost',
    // A fixed, clearly fake password: the simulator protects nothing, the value only has to match.
    password: o.password ?? `sim-password-${common.seed}-not-a-real-secret`,
    sessionRequests: o.sessionRequests === undefined || o.sessionRequests === 0 ? null : nonNegativeInt('sessionRequests', o.sessionRequests),
    replaceFourByte: o.replaceFourByte ?? !(dbUrl !== null && /^postgres(ql)?:/.test(dbUrl)),
    sendmailModule: o.sendmailModule ?? 'Kernel::System::Email::Sendmail',
    now: o.now ?? (() => new Date()),
    cache: o.cache ?? false,
    scalarFieldFilter: o.scalarFieldFilter ?? 'equals',
    maxBodyBytes: nonNegativeInt('maxBodyBytes', o.maxBodyBytes ?? 100_000_000),
    znunyFaults: own,
  }
}
