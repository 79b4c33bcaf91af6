import type { Db } from '../staging/store.js'
import { stageSerialized } from '../staging/records.js'
import { addIdentityWarning, derivedId, isStaged } from '../staging/identity.js'
import type { CommitRecord } from './page-commit.js'

export interface StagedOutcome {
  /** The record as staged: under a derived id when its own id was taken by another parent. */
  readonly record: CommitRecord
  readonly outcome: 'inserted' | 'updated' | 'unchanged'
}

/** The same record under another id: the id in its canonical JSON is rewritten too. */
function renamed(r: CommitRecord, sourceId: string): CommitRecord {
  const canonical = JSON.parse(r.canonicalJson) as { sourceId: string }
  canonical.sourceId = sourceId
  return { ...r, sourceId, canonicalJson: JSON.stringify(canonical) }
}

/**
 * An attachment of a message that was itself staged under a derived id (its id was reused by another
 * conversation) belongs to that derived message: point it there, or it would hang under the first owner.
 */
export function followDerivedMessage(db: Db, r: CommitRecord): CommitRecord {
  if (r.kind !== 'attachment' || r.parentId === null) return r
  const canonical = JSON.parse(r.canonicalJson) as { messageRef: { sourceId: string } }
  const derived = derivedId(canonical.messageRef.sourceId, r.parentId)
  if (!isStaged(db, r.source, 'message', derived)) return r
  canonical.messageRef.sourceId = derived
  return { ...r, canonicalJson: JSON.stringify(canonical) }
}

/**
 * Stages one record of a page, never moving a record between parents (see src/staging/identity.ts): a record
 * whose id is staged under another ticket (or an attachment under another message) is kept as well, under
 * `<id>~<parent>`, with a `reused-id` warning on both. The same id listed twice under one parent keeps the copy
 * with the latest `sourceUpdatedAt` (the later one on a tie) and says so with a `duplicate-id` warning.
 * `prepare` turns a record into what is written (the stored blob of an attachment).
 */
export function stageRecord(db: Db, first: CommitRecord, prepare: (r: CommitRecord) => CommitRecord, a: { runId: string; now: string }): StagedOutcome {
  let r = prepare(first)
  let res = stageSerialized(db, r, a.runId, a.now)
  if (res.outcome === 'other-parent') {
    const owner = res.messageId !== null ? `message ${res.messageId}` : `ticket ${res.parentId}`
    const mine = res.messageId !== null ? messageOfJson(first.canonicalJson) : first.parentId!
    const other = renamed(first, derivedId(first.sourceId, mine))
    const here = res.messageId !== null ? `message ${mine}` : `ticket ${mine}`
    r = prepare(other)
    res = stageSerialized(db, r, a.runId, a.now)
    if (res.outcome === 'other-parent') throw new Error(`${first.kind} ${r.sourceId} is staged under two parents at once`)
    addIdentityWarning(db, first, { code: 'reused-id', detail: `${first.kind} id ${first.sourceId} is also used under ${here}; that copy is staged as ${r.sourceId}` }, a)
    addIdentityWarning(db, r, { code: 'reused-id', detail: `${first.kind} id ${first.sourceId} belongs to ${owner} as well; this copy under ${here} is staged as ${r.sourceId}` }, a)
  }
  if (res.outcome === 'older-copy') {
    addIdentityWarning(db, r, { code: 'duplicate-id', detail: `${r.kind} ${r.sourceId} is listed more than once; the copy updated at ${res.storedUpdatedAt} is kept (latest sourceUpdatedAt wins)` }, a)
    return { record: r, outcome: 'unchanged' }
  }
  if (res.outcome === 'updated' && res.sameRun) {
    addIdentityWarning(db, r, { code: 'duplicate-id', detail: `${r.kind} ${r.sourceId} is listed more than once; the copy updated at ${r.sourceUpdatedAt ?? '(no time)'} is kept (latest sourceUpdatedAt wins)` }, a)
  }
  return { record: r, outcome: res.outcome as StagedOutcome['outcome'] }
}

function messageOfJson(json: string): string {
  return (JSON.parse(json) as { messageRef: { sourceId: string } }).messageRef.sourceId
}
