// The database step, verify and rollback as the Znuny target's members, so index.ts wires each in one line:
//
//   const ops = znunyOps({ rest, database, provenanceField: field, znunyHome: config.home ?? null, keepNumbers: false, log })
//   apply:    const ref = await applyTicket(…); await ops.afterApply(op, ref, actx); return ref   (every op type)
//   finish:   finish: ops.finish
//   verifier: verifier: ops.verifier
//   rollback: ...(config.dbUrl ? { rollback: ops.rollback } : {})   (REST cannot delete: only with ZNUNY_DB_URL)
//
// What the target should give these members:
// - ticket ops carrying the source instants (`createdAt`, `changedAt`, `closedAt`, optional `number`; `createdAt` on
//   each article): without them a ticket gets no database step and verify compares no times (see from-op.ts);
// - every article it sends with `HistoryComment: runHistoryComment(ctx.runId)`, so rollback finds a ticket even
//   when the run died between TicketCreate and `afterApply`;
// - ZNUNY_HOME (optional, e.g. /opt/znuny) when deskmove runs on the Znuny host: finish then clears the caches.
import type { Logger } from '../../../../src/core/log.js'
import type { ApplyContext, TargetRollback } from '../../../../src/core/target.js'
import type { TargetVerifier } from '../../../../src/core/target-verify.js'
import type { SqlDb } from '../../../../src/kits/sql/index.js'
import { parseTicketRef } from '../ids.js'
import type { ZnOp } from '../plan-ops.js'
import type { ZnunyRest } from '../rest/index.js'
import { znunyVerifier } from '../verify/index.js'
import { rollbackZnuny } from '../rollback/index.js'
import { clearCaches, type CacheOutcome } from './cache.js'
import { dbStepCompanyFromOp, dbStepCustomerFromOp, dbStepTicketFromOp } from './from-op.js'
import { queueDbStep, runQueuedDbStep } from './queue.js'
import { recordRunObjects } from './run-objects.js'
import type { DbStepResult } from './types.js'

export interface ZnunyOpsOptions {
  readonly rest: ZnunyRest
  /** Znuny's database (ZNUNY_DB_URL), or null without it. */
  database(): Promise<SqlDb | null>
  /** ZNUNY_DB_URL is set (default: unknown, asked of `database()` when needed). */
  readonly hasDatabase?: boolean
  /** The provenance dynamic field. */
  readonly provenanceField: string
  /** ZNUNY_HOME when deskmove runs on the Znuny host (caches are then cleared by deskmove), else null. */
  readonly znunyHome: string | null
  /** Put the source's ticket numbers in `tn` (when the ops carry `number`). */
  readonly keepNumbers?: boolean
  readonly log: Logger
}

export interface ZnunyOps {
  /** After apply wrote an op: queues its database step (only with the database; a no-op without). */
  afterApply(op: ZnOp, ref: string, ctx: ApplyContext): Promise<void>
  /** Runs the queued database step, then clears Znuny's caches (or logs the commands). Idempotent. */
  finish(signal?: AbortSignal): Promise<void>
  verifier(signal?: AbortSignal): Promise<TargetVerifier<ZnOp>>
  /**
   * Removes what a run created (`rollbackZnuny`). Without the database it throws a `ConfigError` naming
   * ZNUNY_DB_URL; a target should then leave `rollback` out (no capability), as the conformance suite expects.
   */
  rollback(runId: string, opts: { preview: boolean; signal?: AbortSignal; force?: boolean }): Promise<TargetRollback>
  /** Whether `rollback` can work: the database is configured. */
  readonly canRollBack: boolean
  /** What the last `finish` did (for reports and tests), or null before one ran. */
  readonly last: { step: DbStepResult | null; cache: CacheOutcome | null }
}

/** The database step, verifier and rollback of the Znuny target over its REST client and optional database. */
export function znunyOps(o: ZnunyOpsOptions): ZnunyOps {
  const last: ZnunyOps['last'] = { step: null, cache: null }
  return {
    last,
    async afterApply(op, ref, ctx) {
      const db = await o.database()
      if (!db) return
      if (op.type === 'ticket') {
        // The first run to record a ticket owns it for rollback; later runs only update its step.
        const ids = parseTicketRef(ref)
        const item = dbStepTicketFromOp(op, ids, { created: true, keepNumbers: o.keepNumbers ?? false })
        // An op without source times has no step, but the ticket is still the run's for rollback.
        if (item) await queueDbStep(db, ctx.runId, { kind: 'ticket', item })
        else await recordRunObjects(db, ctx.runId, 'ticket', [ids.ticketId])
      } else if (op.type === 'customer-user') await queueDbStep(db, ctx.runId, { kind: 'customer', item: dbStepCustomerFromOp(op, ctx.resolve) })
      else if (op.type === 'customer-company') await queueDbStep(db, ctx.runId, { kind: 'organization', item: dbStepCompanyFromOp(op) })
    },
    async finish() {
      const db = await o.database()
      if (!db) return
      const step = await runQueuedDbStep(db)
      last.step = step
      for (const f of step.failures) o.log.warn(`database step: ${f.kind} ${f.sourceId} not written (${f.reason}): ${f.detail}`)
      for (const a of step.alterations) o.log.warn(`database step: ${a.kind} ${a.sourceId} ${a.field} ${a.detail}`)
      const cache = await clearCaches(o.znunyHome)
      last.cache = cache
      if (cache.ran) o.log.info(`znuny: ${cache.detail}`)
      else if (step.ticketsUpdated || step.customerUsersCreated || step.companiesCreated)
        o.log.warn(`znuny: Znuny shows the old values until its cache is cleared — ${cache.detail}:\n${cache.commands.join('\n')}`)
    },
    verifier: async () => znunyVerifier({ rest: o.rest, db: await o.database(), provenanceField: o.provenanceField, keptNumbers: o.keepNumbers ?? false }),
    rollback: async (runId, r) => rollbackZnuny(await o.database(), runId, { preview: r.preview, ...(r.force ? { force: true } : {}) }),
    canRollBack: o.hasDatabase ?? true,
  }
}
