// The Znuny database step: what REST cannot do (customer users and companies, original ticket numbers and times,
// history), written straight into Znuny's database LAST, then the cache cleared. Only with ZNUNY_DB_URL.
//
// How a target wires it:
//   plan:   planDbStep(counts, { database: !!dbUrl, keepNumbers, znunyHome }) → lines for the plan report.
//   apply:  after an object's REST writes, `await queueDbStep(db, ctx.runId, { kind: 'ticket', item })` (item from
//           ticketForDbStep / dbStepTicketFromOp; `created: true` when this run created the ticket), and for
//           customer users / companies `{ kind: 'customer' | 'organization', item }` — the queue lives in Znuny's DB.
//   finish: `await runQueuedDbStep(db)` then `await clearCaches(znunyHome)`; log `result.failures` (kind, source
//           id, reason) — they stay queued and are tried again by the next finish.
//   Or, without the queue: `await runDbStep(db, input, { runId })` over a DbStepInput you built.

export type { DbStepArticle, DbStepCompany, DbStepCustomerUser, DbStepFailure, DbStepInput, DbStepResult, DbStepTicket } from './types.js'
export { companyFromOrganization, companyKey, customerUserFromCustomer, epochSeconds, sqlTime, ticketForDbStep, type WrittenTicketIds } from './build.js'
export { countDbStep, IMPORT_TIME_FIELDS, planDbStep, type DbStepCounts, type DbStepPlan, type DbStepPlanOptions } from './plan.js'
export { recordRunObjects, runHistoryComment, RUN_OBJECT_TABLE, type RunObjectKind } from './run-objects.js'
export { AFTER_STEP_ARGS, CACHE_TYPES, cacheCommands, clearCaches, consoleScript, type CacheOutcome } from './cache.js'

export { runDbStep } from './run.js'
export { pendingDbStep, queueDbStep, runQueuedDbStep, QUEUE_TABLE } from './queue.js'
export { dbStepCompanyFromOp, dbStepCustomerFromOp, dbStepTicketFromOp } from './from-op.js'
export { znunyOps, type ZnunyOps, type ZnunyOpsOptions } from './hooks.js'
