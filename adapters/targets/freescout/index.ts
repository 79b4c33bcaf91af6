// The FreeScout target: writes straight into FreeScout's database and attachment storage.
import { accessSync, constants, mkdirSync } from 'node:fs'
import { join } from 'node:path'
import type { EntityKind } from '../../../src/core/model/common.js'
import type { AdapterContext } from '../../../src/core/context.js'
import type { CheckReport } from '../../../src/core/source.js'
import type { ApplyContext, PlanDeps, PlanUnit, Target, TargetDefinition } from '../../../src/core/target.js'
import { skip } from '../../../src/core/target.js'
import { declareCapabilities } from '../../../src/core/capabilities.js'
import { ConfigError, RemoteUnavailableError } from '../../../src/core/errors.js'
import type { FsDb } from './db.js'
import { openFreescoutDb } from './schema-check.js'
import { recomputeFolderCounters } from './counters.js'
import { freescoutConfigSpec, type FreescoutConfig, type FreescoutTargetConfig } from './config.js'
import { resolveSiteZone, type SiteZone } from './site-time.js'
import { serverZoneWarning } from './server-zone.js'
import { FREESCOUT_MAX_ATTACHMENT_BYTES, fingerprintFreescout, readLookups } from './lookups.js'
import type { FsLookups, FsOp } from './plan-ops.js'
import { planFreescout } from './plan.js'
import { applyFsBatch, applyFsOp } from './apply.js'
import { classifyDbError, createdUserMarker } from './writer.js'
import { locateFsOp } from './locate.js'
import { rollbackRun } from './rollback.js'
import { freescoutStandInSimulator } from './standin/definition.js'
import { FREESCOUT_MAPPING, suggestAgents, unknownMailboxes, type FsMappingConfig } from './mapping.js'
import { createFreescoutVerifier } from './verify.js'

export const FREESCOUT_CAPABILITIES = declareCapabilities({
  entities: ['agent', 'customer', 'ticket', 'message', 'attachment', 'tag', 'custom_field'],
  // Tags and custom field values are written inside their conversation's op (tags, and notes for fields).
  loadOrder: [{ kind: 'agent' }, { kind: 'customer' }, { kind: 'ticket', with: ['message', 'attachment', 'tag', 'custom_field'] }],
  // One transaction per conversation (a savepoint per op inside a batch): written whole or not at all.
  atomicUnit: 'transaction',
  preservesTimestamps: true,
  internalNotes: true,
  customFields: true,
  maxAttachmentBytes: FREESCOUT_MAX_ATTACHMENT_BYTES,
})

export type FreescoutTarget = Target<FsOp, FsLookups, FsMappingConfig> & {
  /** The database handle (opened on first use). */
  database(): Promise<FsDb>
}

/**
 * Creates the FreeScout target. The database is connected on first use; `close` ends the pool.
 * `db` may be passed to share an existing handle (tests).
 */
export function createFreescoutTarget(config: FreescoutTargetConfig, ctx?: AdapterContext, opts: { db?: FsDb } = {}): FreescoutTarget {
  let dbp: Promise<FsDb> | null = opts.db ? Promise.resolve(opts.db) : null
  let site: SiteZone | null = null
  // Read on first use (creating never throws); an unreadable .env or unknown zone is a configuration error.
  const siteZone = (): SiteZone => {
    try {
      return (site ??= resolveSiteZone(config))
    } catch (e) {
      throw new ConfigError(`FreeScout time zone: ${(e as Error).message}`, { hint: 'set FREESCOUT_TIMEZONE to FreeScout\'s APP_TIMEZONE (e.g. Europe/Berlin)' })
    }
  }
  let warned = false
  /** Says once per run what would make every imported time display off: an unknown site zone, a non-UTC server. */
  const warnZone = async (db: FsDb, zone: SiteZone) => {
    if (warned) return
    warned = true
    if (!zone.known)
      ctx?.log.warn(`FreeScout's time zone is unknown (${zone.from}): times are written as UTC. If FreeScout's APP_TIMEZONE is another zone, every imported time will display off — set FREESCOUT_TIMEZONE or FREESCOUT_ENV_FILE.`)
    const server = await serverZoneWarning(db).catch(() => null)
    if (server) ctx?.log.warn(server)
  }
  const touched = new Set<number>()
  const numbers: { next: number | null } = { next: null }
  const mainEmails = new Map<number, string | null>()
  const database = () => (dbp ??= openFreescoutDb(config.dbUrl))
  const rewriteCids = config.appUrl !== null && config.appKey !== null
  const reading = async <T>(what: string, fn: (db: FsDb) => Promise<T>): Promise<T> => {
    try {
      return await fn(await database())
    } catch (e) {
      const err = classifyDbError(e, what)
      throw err instanceof RemoteUnavailableError ? err : e
    }
  }
  const writer = async () => ({ db: await database(), storageDir: config.storageDir, appUrl: config.appUrl, appKey: config.appKey, touched, numbers, mainEmails })
  return {
    id: 'freescout',
    capabilities: FREESCOUT_CAPABILITIES,
    mappingSections: FREESCOUT_MAPPING,
    database,
    async check(): Promise<CheckReport> {
      const items: { name: string; status: 'ok' | 'error' | 'unreachable'; detail?: string }[] = []
      try {
        const db = await database()
        const m = await db.query<{ n: number }>('SELECT COUNT(*) AS n FROM mailboxes')
        items.push({ name: 'database', status: 'ok', detail: `${m[0]?.n ?? 0} mailbox(es)` })
      } catch (e) {
        // Not FreeScout's database (or bad settings) is a configuration error, said as such before anything else.
        items.push({ name: 'database', status: e instanceof ConfigError && /^not a FreeScout database/.test(e.message) ? 'error' : 'unreachable', detail: (e as Error).message })
      }
      try {
        mkdirSync(join(config.storageDir, 'attachment'), { recursive: true })
        accessSync(join(config.storageDir, 'attachment'), constants.W_OK)
        items.push({ name: 'storage', status: 'ok' })
      } catch (e) {
        items.push({ name: 'storage', status: 'error', detail: `FREESCOUT_STORAGE_DIR is not writable: ${(e as Error).message}` })
      }
      try {
        const zone = siteZone()
        items.push({ name: 'time zone', status: 'ok', detail: zone.known ? `${zone.zone} (${zone.from})` : `unknown, UTC assumed: ${zone.from}` })
      } catch (e) {
        items.push({ name: 'time zone', status: 'error', detail: (e as Error).message })
      }
      return { ok: items.every((i) => i.status === 'ok'), items }
    },
    prepare: () =>
      reading('lookups', async (db) => {
        const zone = siteZone()
        await warnZone(db, zone)
        return readLookups(db, { rewriteCids, timeZone: zone.zone, importUser: config.importUser ?? null })
      }),
    checkMapping: (mapping, lookups) => unknownMailboxes(mapping, lookups),
    plan: (unit: PlanUnit, deps: PlanDeps<FsLookups, FsMappingConfig>) =>
      unit.kind === 'organization' ? skip('unsupported-entity', 'FreeScout stores organizations as the customer company') : planFreescout(unit, deps),
    apply: async (op: FsOp, ctx: ApplyContext) => applyFsOp(await writer(), op, ctx),
    applyBatch: async (items, applied) => applyFsBatch(await writer(), items, applied),
    locate: (op, ctx) => reading(`${op.ref.kind} ${op.ref.sourceId}`, (db) => locateFsOp(db, op, ctx)),
    snapshot: (kind: EntityKind, ref: string) => reading(`${kind} ${ref}`, (db) => snapshot(db, kind, Number(ref))),
    fingerprint: () => reading('fingerprint', fingerprintFreescout),
    async finish() {
      // Every mailbox, not only those this run touched: an earlier run may have been killed between its last
      // commit and this step. Recounting is idempotent and set-based, and mailboxes are few.
      const db = await database()
      const ids = (await db.query<{ id: number }>('SELECT id FROM mailboxes')).map((m) => Number(m.id))
      if (ids.length) await recomputeFolderCounters(db, ids.sort((a, b) => a - b))
      touched.clear()
      // Other writers may add conversations before the next run: read the next number afresh then.
      numbers.next = null
      mainEmails.clear()
    },
    rollback: async (runId, o) => rollbackRun(await database(), config.storageDir, runId, { preview: o.preview, force: o.force === true }),
    verifier: async () => createFreescoutVerifier(await database(), config.storageDir, siteZone().zone),
    async close() {
      // A connection that never opened has nothing to close (and must not throw here).
      const db = dbp ? await dbp.catch(() => null) : null
      dbp = null
      if (db) await db.close()
    },
  }
}

async function snapshot(db: FsDb, kind: EntityKind, id: number): Promise<Record<string, unknown> | null> {
  if (kind === 'ticket') {
    const rows = await db.query(
      `SELECT subject, status, state, mailbox_id, folder_id, threads_count, preview, has_attachments, last_reply_at, closed_at, number,
         (SELECT COUNT(*) FROM threads t WHERE t.conversation_id = c.id) AS threads FROM conversations c WHERE c.id = ?`,
      [id],
    )
    return rows[0] ?? null
  }
  if (kind === 'customer') {
    const rows = await db.query<Record<string, unknown>>('SELECT first_name, last_name, company, phones FROM customers WHERE id = ?', [id])
    if (!rows[0]) return null
    const emails = await db.query<{ email: string }>('SELECT email FROM emails WHERE customer_id = ? ORDER BY id', [id])
    return { ...rows[0], emails: emails.map((e) => e.email).join(','), into: null, customerId: id }
  }
  const u = await db.query<{ email: string; first_name: string; last_name: string; job_title: string | null }>('SELECT email, first_name, last_name, job_title FROM users WHERE id = ?', [id])
  if (!u[0]) return null
  const created = u[0].job_title?.startsWith(createdUserMarker('')) ?? false
  return { action: created ? 'create-disabled' : 'match', userId: created ? null : id, email: u[0].email, name: `${u[0].first_name} ${u[0].last_name}`.trim() }
}

/** The FreeScout target definition for the registry. */
export const freescoutTarget: TargetDefinition<FreescoutConfig, FsOp, FsLookups, FsMappingConfig> = {
  id: 'freescout',
  displayName: 'FreeScout (database + storage)',
  config: freescoutConfigSpec,
  capabilities: FREESCOUT_CAPABILITIES,
  mapping: FREESCOUT_MAPPING,
  suggestAgents,
  create: (config, ctx) => createFreescoutTarget(config, ctx),
  simulator: freescoutStandInSimulator,
}
