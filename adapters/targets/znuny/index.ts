// The Znuny / OTRS target: tickets and articles through the GenericTicketConnectorREST web service; with
// ZNUNY_DB_URL also the checks REST cannot make (queues, states, … exist; the e-mail module) and the owners.
import type { AdapterContext } from '../../../src/core/context.js'
import type { EntityKind } from '../../../src/core/model/common.js'
import type { MappingConfig } from '../../../src/core/mapping-config.js'
import type { CheckReport } from '../../../src/core/source.js'
import type { ApplyContext, Target, TargetDefinition } from '../../../src/core/target.js'
import { declareCapabilities } from '../../../src/core/capabilities.js'
import { RecordRejectedError } from '../../../src/core/errors.js'
import { silentLogger } from '../../../src/core/log.js'
import { connectSqlDb, type SqlDb } from '../../../src/kits/sql/index.js'
import { znunyConfigSpec, type ZnunyConfig, type ZnunyTargetConfig } from './config.js'
import { DEFAULT_PROVENANCE_FIELD, parseTicketRef } from './ids.js'
import { fingerprintZnuny, readLookups, type ZnLookups } from './lookups.js'
import { unknownValues, ZNUNY_MAPPING } from './mapping.js'
import { planZnuny } from './plan.js'
import { ZNUNY_MAX_ATTACHMENT_BYTES } from './plan-articles.js'
import type { ZnOp } from './plan-ops.js'
import { ZnunyRest } from './rest/client.js'
import { probeProvenanceFilter, ticketDynamicFieldNames } from './rest/find.js'
import { applyTicket, locateTicket, type Writer } from './writer.js'
import { prepareWarnings } from './warnings.js'
import { znunyPlanRemarks } from './remarks.js'
import { znunySimulator } from './simulator/definition.js'
import { znunyOps } from './db-step/hooks.js'

export const ZNUNY_CAPABILITIES = declareCapabilities({
  entities: ['organization', 'customer', 'ticket', 'message', 'attachment', 'tag', 'custom_field'],
  // Customer users name their company by its CustomerID, and tickets name their customer user: companies first.
  loadOrder: [{ kind: 'organization' }, { kind: 'customer' }, { kind: 'ticket', with: ['message', 'attachment', 'tag', 'custom_field'] }],
  // A ticket is several calls without a transaction: a cut-off ticket is found by its provenance field and completed.
  atomicUnit: 'none',
  // Only through the database step (ZNUNY_DB_URL); the web service stamps every ticket and article "now".
  preservesTimestamps: false,
  internalNotes: true,
  customFields: true,
  maxAttachmentBytes: ZNUNY_MAX_ATTACHMENT_BYTES,
})

/** Pacing: Znuny has no rate limit of its own; every call is a Perl process, so a few at a time. */
export const ZNUNY_HTTP = { defaultRpm: null, defaultConcurrency: 4 } as const

export type ZnunyTarget = Target<ZnOp, ZnLookups, MappingConfig> & {
  readonly rest: ZnunyRest
  /** The database handle when ZNUNY_DB_URL is set (opened on first use), else null. */
  database(): Promise<SqlDb | null>
  /** Which request shape the run uses: probed by `prepare`; `auto` while unknown (then learnt from the first multi-article TicketCreate). */
  version(): 'auto' | '7.1' | '7.0'
  /** Writes whose reply was lost (HTTP 500, empty reply, crash page) and that were settled by reading Znuny back. */
  recoveries(): number
}

export function createZnunyTarget(config: ZnunyTargetConfig, ctx: AdapterContext): ZnunyTarget {
  const log = ctx.log ?? silentLogger
  const rest = new ZnunyRest({ url: config.url.replace(/\/+$/, ''), user: config.user, password: config.password, http: ctx.http, log, ...(ctx.addSecret ? { addSecret: ctx.addSecret } : {}) })
  const field = config.sourceIdField ?? DEFAULT_PROVENANCE_FIELD
  let dbp: Promise<SqlDb> | null = null
  const database = async (): Promise<SqlDb | null> => {
    if (!config.dbUrl) return null
    dbp ??= connectSqlDb(config.dbUrl, { label: 'the Znuny database', hint: 'check ZNUNY_DB_URL (mysql://user:pass@host:3306/znuny or postgres://…)' })
    return dbp
  }
  const writer: Writer = { rest, provenanceField: field, db: database, log, version: config.version ?? 'auto', recoveries: 0 }
  // The database step (customers, original times and numbers, history), verify and rollback: zn-ops's hooks.
  const ops = znunyOps({ rest, database, hasDatabase: Boolean(config.dbUrl), provenanceField: field, znunyHome: config.home ?? null, keepNumbers: true, log })
  let warned = false
  return {
    id: 'znuny',
    capabilities: ZNUNY_CAPABILITIES,
    mappingSections: ZNUNY_MAPPING,
    rest,
    database,
    version: () => writer.version,
    recoveries: () => writer.recoveries,
    async check(signal): Promise<CheckReport> {
      const items: CheckReport['items'][number][] = []
      try {
        await rest.sessionId(signal)
        const any = await rest.ticketSearch({ Limit: 1 }, signal)
        items.push({ name: 'web service', status: 'ok', detail: `logged in as ${config.user}${any.length ? '' : '; no ticket yet'}` })
        // The provenance field is what makes a crashed run safe to resume: say plainly when it is missing.
        const filter = await probeProvenanceFilter(rest, field, signal)
        const names = await ticketDynamicFieldNames(rest, signal)
        const missing = filter === 'ignored' || (names !== null && !names.includes(field))
        items.push({ name: 'provenance field', status: missing ? 'error' : 'ok', detail: missing ? `create the ticket dynamic field ${field} (Text) in Znuny, or set ZNUNY_SOURCE_ID_FIELD` : `${field}${filter === 'unknown' ? ' (not checked: no ticket yet)' : ''}` })
      } catch (e) {
        const status = (e as { exitCode?: number }).exitCode === 3 ? 'error' : 'unreachable'
        items.push({ name: 'web service', status, detail: `${(e as Error).message} (an unknown web service name in ZNUNY_URL makes Znuny close the connection without an answer)` })
      }
      if (config.dbUrl) {
        try {
          const db = await database()
          const q = await db!.query<{ n: number }>('SELECT COUNT(*) AS n FROM queue')
          items.push({ name: 'database', status: 'ok', detail: `${q[0]?.n ?? 0} queue(s)` })
        } catch (e) {
          items.push({ name: 'database', status: 'unreachable', detail: (e as Error).message })
        }
      }
      return { ok: items.every((i) => i.status === 'ok'), items }
    },
    async prepare(signal) {
      const lookups = await readLookups(rest, await database(), { provenanceField: field, user: config.user, version: writer.version }, signal)
      // Detected once: later prepares (verify, the next run) reuse it without probing again.
      writer.version = lookups.version
      if (!warned) {
        warned = true
        for (const w of prepareWarnings(lookups)) log.warn(w)
      }
      return lookups
    },
    checkMapping: (mapping, lookups) => unknownValues(mapping, lookups),
    plan: planZnuny,
    planRemarks: (lookups, summary) => znunyPlanRemarks(lookups, summary, { database: Boolean(config.dbUrl), keepNumbers: true, znunyHome: config.home ?? null }),
    async apply(op: ZnOp, actx: ApplyContext) {
      const ref = await applyOp(writer, op, actx)
      // Queued in Znuny's database (with ZNUNY_DB_URL) and run by `finish`, after every REST write.
      await ops.afterApply(op, ref, actx)
      return ref
    },
    async locate(op: ZnOp, actx: ApplyContext) {
      if (op.type === 'ticket') return locateTicket(writer, op, actx)
      if (op.type === 'customer-alias') {
        const into = actx.resolve(op.into)
        return into ? { ref: into, sameOp: true } : null
      }
      return { ref: op.type === 'customer-user' ? op.login : op.customerId, sameOp: true }
    },
    snapshot: (kind: EntityKind, ref: string, signal: AbortSignal) => snapshot(rest, kind, ref, signal),
    fingerprint: async (signal) => fingerprintZnuny(rest, await database(), signal),
    finish: (signal) => ops.finish(signal),
    verifier: (signal) => ops.verifier(signal),
    rollback: (runId, o) => ops.rollback(runId, o),
    async close() {
      const db = dbp ? await dbp.catch(() => null) : null
      dbp = null
      if (db) await db.close()
    },
  }
}

async function applyOp(writer: Writer, op: ZnOp, actx: ApplyContext): Promise<string> {
  if (op.type === 'ticket') return applyTicket(writer, op, actx)
  if (op.type === 'customer-alias') {
    const into = actx.resolve(op.into)
    if (!into) throw new RecordRejectedError('dangling-reference', `customer ${op.into.sourceId} was not written`)
    return into
  }
  // Customer users and companies are rows only the database step writes (no REST exists); tickets name them.
  return op.type === 'customer-user' ? op.login : op.customerId
}

async function snapshot(rest: ZnunyRest, kind: EntityKind, ref: string, signal: AbortSignal): Promise<Record<string, unknown> | null> {
  if (kind === 'customer') return { login: ref }
  if (kind === 'organization') return { customerId: ref }
  if (kind !== 'ticket') return null
  const t = await rest.ticketGetOne(parseTicketRef(ref).ticketId, { articles: true, attachments: true }, signal)
  if (!t) return null
  const articles = t.Article ?? []
  const out: Record<string, unknown> = {
    title: t.Title ?? '',
    queue: t.Queue ?? '',
    state: t.State ?? '',
    priority: t.Priority ?? '',
    articles: articles.length,
    attachments: articles.reduce((n, a) => n + (a.Attachment ?? []).length, 0),
    type: t.Type ?? null,
    owner: t.Owner ?? null,
  }
  return out
}

/** The Znuny target definition for the registry (`deskmove apply znuny`, alias `otrs`). */
export const znunyTarget: TargetDefinition<ZnunyConfig, ZnOp, ZnLookups, MappingConfig> = {
  id: 'znuny',
  aliases: ['otrs'],
  displayName: 'Znuny / OTRS (GenericInterface REST + optional database)',
  config: znunyConfigSpec,
  capabilities: ZNUNY_CAPABILITIES,
  mapping: [...ZNUNY_MAPPING],
  http: ZNUNY_HTTP,
  create: (config, ctx) => createZnunyTarget(config, ctx),
  simulator: znunySimulator,
}
