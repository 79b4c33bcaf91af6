// The FreeScout `plan` for the database writer: the writer-neutral planner (planner/) decides, the database
// encoding (db-writer/) turns its conversation into rows. Agents and customers are planned in plan-people.ts.
import type { Ticket } from '../../../src/core/model/ticket.js'
import type { Message } from '../../../src/core/model/message.js'
import type { AttachmentInput, PlanDeps, PlanUnit, Skip } from '../../../src/core/target.js'
import type { FsConversationOp, FsLookups, FsOp } from './plan-ops.js'
import { planAgent, planCustomer } from './plan-people.js'
import { planConversationModel } from './planner/plan-conversation.js'
import { encodeConversation } from './db-writer/encode-conversation.js'
import type { FsMappingConfig } from './mapping.js'

/** The FreeScout `plan`: dispatches on the unit kind. Never throws for bad data: it returns a Skip. */
export function planFreescout(unit: Exclude<PlanUnit, { kind: 'organization' }>, deps: PlanDeps<FsLookups, FsMappingConfig>): FsOp | Skip {
  if (unit.kind === 'agent') return planAgent(unit.record, deps)
  if (unit.kind === 'customer') return planCustomer(unit.record, unit.organization, deps)
  return planConversation(unit.record, unit.messages, unit.attachments, deps)
}

/** Plans one conversation for the database writer. Missing blobs / too large files leave the attachment out (a reject of its own). */
export function planConversation(t: Ticket, messages: readonly Message[], atts: readonly AttachmentInput[], deps: PlanDeps<FsLookups, FsMappingConfig>): FsConversationOp | Skip {
  const planned = planConversationModel(t, messages, atts, deps)
  return 'skip' in planned ? planned : encodeConversation(planned, deps.lookups)
}
