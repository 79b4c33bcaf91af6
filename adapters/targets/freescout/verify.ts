// FreeScout's own verifier (the target contract's optional `verifier`): reads imported conversations back (rows and attachment files) and compares
// them with the conversation op the pure planner gives for the staged ticket.
import type { RecordRef } from '../../../src/core/model/common.js'
import type { CheckFinding, CompareOutcome, FieldDiff, TargetVerifier, VerifyItem } from '../../../src/core/target-verify.js'
import type { FsDb } from './db.js'
import type { FsConversationOp, FsOp, FsThreadPlan } from './plan-ops.js'
import { readBackConversations, type ReadBackConversation, type ReadBackThread } from './read-back.js'
import { runImportChecks, type ImportCheckViolation } from './sql-checks.js'
import { isoInstant, parseZonedSqlTime } from './site-time.js'

type Resolve = (ref: RecordRef) => string | undefined

const idOf = (resolve: Resolve, ref: RecordRef | null): number | null => {
  if (!ref) return null
  const r = resolve(ref)
  return r === undefined ? null : Number(r)
}

const threadLabel = (t: { sourceId: string | null }) => (t.sourceId === null ? 'import note' : `thread ${t.sourceId}`)

function compareAttachments(label: string, want: FsThreadPlan, got: ReadBackThread, diffs: FieldDiff[]): void {
  if (want.attachments.length !== got.attachments.length) diffs.push({ field: `${label} attachments`, expected: want.attachments.length, actual: got.attachments.length })
  // Apply inserts a thread's attachments in plan order, so ids ascend in the same order.
  const n = Math.min(want.attachments.length, got.attachments.length)
  for (let i = 0; i < n; i++) {
    const a = want.attachments[i]!
    const b = got.attachments[i]!
    const name = `${label} attachment ${a.sourceId}`
    if (b.size !== a.size) diffs.push({ field: `${name} size`, expected: a.size, actual: b.size })
    if ('error' in b.file) diffs.push({ field: `${name} file`, expected: 'present', actual: b.file.detail })
    else {
      if (b.file.size !== a.size) diffs.push({ field: `${name} file size`, expected: a.size, actual: b.file.size })
      if (b.file.sha256 !== a.sha256) diffs.push({ field: `${name} sha256`, expected: a.sha256, actual: b.file.sha256 })
    }
  }
}

/**
 * Compares a time as an absolute instant: the planned wall-clock time (from the source's instant) and the
 * stored one, both read in the site's zone. A site zone other than the one written in shows as a difference.
 */
function sameInstant(field: string, expected: string | null, actual: string | null, zone: string, diffs: FieldDiff[]): void {
  if (expected === null || actual === null) {
    if (expected !== actual) diffs.push({ field, expected, actual })
    return
  }
  const want = parseZonedSqlTime(expected, zone)
  const have = parseZonedSqlTime(actual, zone)
  if (want !== have) diffs.push({ field, expected: isoInstant(want), actual: `${isoInstant(have)} (${actual} read in ${zone})` })
}

function compareThreads(op: FsConversationOp, got: ReadBackConversation, resolve: Resolve, zone: string, diffs: FieldDiff[]): void {
  if (op.threads.length !== got.threads.length) diffs.push({ field: 'threads', expected: op.threads.length, actual: got.threads.length })
  const byId = new Map<string, ReadBackThread>()
  for (const t of got.threads) if (t.imported) byId.set(t.sourceId ?? '\u0000note', t)
  const planned = new Set<string>()
  for (const want of op.threads) {
    const key = want.sourceId ?? '\u0000note'
    planned.add(key)
    const label = threadLabel(want)
    const t = byId.get(key)
    if (!t) {
      diffs.push({ field: label, expected: 'present', actual: 'missing' })
      continue
    }
    if (t.type !== want.type) diffs.push({ field: `${label} type`, expected: want.type, actual: t.type })
    sameInstant(`${label} created_at`, want.createdAt, t.createdAt, zone, diffs)
    const author = { user: want.authorUserId ?? idOf(resolve, want.authorUser), customer: want.authorCustomer ? idOf(resolve, want.authorCustomer) : null }
    if (t.createdByUserId !== author.user || t.createdByCustomerId !== author.customer)
      diffs.push({ field: `${label} author`, expected: author, actual: { user: t.createdByUserId, customer: t.createdByCustomerId } })
    compareAttachments(label, want, t, diffs)
  }
  for (const t of got.threads) if (!t.imported || !planned.has(t.sourceId ?? '\u0000note')) diffs.push({ field: `thread #${t.id}`, expected: 'absent', actual: t.sourceId ? `thread ${t.sourceId}` : 'present' })
}

/**
 * Every difference between a planned conversation and what FreeScout holds: status, state, mailbox, folder,
 * subject, number (when kept), assignee, customer, timestamps (as instants in the site's `zone`), tags, threads (count, type, time, author) and
 * their attachments (count, size, file sha256). References resolve through the id map. PURE.
 */
export function compareConversation(op: FsConversationOp, got: ReadBackConversation, resolve: Resolve, zone = 'UTC'): FieldDiff[] {
  const diffs: FieldDiff[] = []
  const same = (field: string, expected: unknown, actual: unknown) => {
    if (expected !== actual) diffs.push({ field, expected, actual })
  }
  same('status', op.status, got.status)
  same('state', op.state, got.state)
  same('subject', op.subject, got.subject)
  same('mailbox_id', op.mailboxId, got.mailboxId)
  same('folder_id', op.folderId, got.folderId)
  if (op.number !== null) same('number', op.number, got.number)
  same('assignee', idOf(resolve, op.assignee), got.userId)
  same('customer', idOf(resolve, op.customer), got.customerId)
  sameInstant('created_at', op.createdAt, got.createdAt, zone, diffs)
  sameInstant('closed_at', op.closedAt, got.closedAt, zone, diffs)
  same('threads_count', op.threadsCount, got.threadsCount)
  if (got.tags !== null) same('tags', [...op.tags].sort().join(','), got.tags.join(','))
  compareThreads(op, got, resolve, zone, diffs)
  // What the plan had to leave out (an attachment whose bytes were never stored, e.g. after `extract
  // --no-attachments`) is in the source but not in FreeScout: the conversation does not match.
  for (const p of op.partialRejects) diffs.push({ field: `${p.kind} ${p.sourceId}`, expected: 'imported', actual: `left out (${p.reason}): ${p.detail}` })
  return diffs
}

const findings = (found: readonly ImportCheckViolation[]): CheckFinding[] =>
  found.map((v) => ({ check: v.check, targetRef: v.conversationId === undefined ? null : String(v.conversationId), detail: v.detail }))

/** The FreeScout verifier over a database handle, FreeScout's `storage/app` directory and the site's time zone. */
export function createFreescoutVerifier(db: FsDb, storageDir: string, zone = 'UTC'): TargetVerifier<FsOp> {
  return {
    async compare(items: readonly VerifyItem<FsOp>[], ctx): Promise<CompareOutcome[]> {
      const ids = [...new Set(items.map((i) => Number(i.targetRef)).filter((n) => Number.isInteger(n) && n > 0))]
      const found = await readBackConversations(db, storageDir, ids)
      return items.map((i): CompareOutcome => {
        if (i.op.type !== 'conversation') return { status: 'error', detail: `expected a conversation op, got ${i.op.type}` }
        const got = found.get(Number(i.targetRef))
        if (!got) return { status: 'missing', detail: `conversation ${i.targetRef} is not in FreeScout (the id map says apply wrote it)` }
        return { status: 'found', diffs: compareConversation(i.op, got, ctx.resolve, zone) }
      })
    },
    async checks(refs, { complete }) {
      // Scoped checks run per 5,000-id chunk; one unscoped pass is cheaper still when everything is verified.
      return findings(await runImportChecks(db, storageDir, complete ? {} : { conversationIds: refs.map(Number) }))
    },
    // A complete verify checks the whole database while the conversations are compared.
    checkAll: async () => findings(await runImportChecks(db, storageDir)),
  }
}
