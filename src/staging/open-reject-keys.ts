// Which staged records the next `apply --retry-rejects` should retry.
import type { Db } from './store.js'
import type { Message } from '../core/model/message.js'
import type { Attachment } from '../core/model/attachment.js'
import { listRejects } from './rejects.js'
import { getRecord } from './records.js'

/** Record keys (`kind:sourceId`) with an open apply reject for this target; child rejects count for their ticket. */
export function openRejectKeys(db: Db, source: string, target: string): Set<string> {
  const keys = new Set<string>()
  for (const r of listRejects(db, { phase: 'apply', source, target })) {
    if (r.kind === 'message' || r.kind === 'attachment') {
      const child = getRecord(db, source, r.kind, r.sourceId)
      if (child) keys.add(`ticket:${(child.canonical as Message | Attachment).ticketRef.sourceId}`)
    } else keys.add(`${r.kind}:${r.sourceId}`)
  }
  return keys
}
