import type { StreamSpec } from '../../../src/core/source.js'
import { ENTITY_KINDS, KIND_PLURAL, type EntityKind } from '../../../src/core/model/common.js'

/** Kinds in the order they are staged: a message's ticket and an attachment's message are staged first. */
export const ARCHIVE_KIND_ORDER: readonly EntityKind[] = ['agent', 'customer', 'organization', 'group', 'tag', 'custom_field', 'ticket', 'message', 'attachment']

/**
 * One stream per kind (`archive.tickets` reads `records/tickets.jsonl` beside `raw/tickets.jsonl`), named apart
 * from the vendor's streams so their checkpoints never mix; then `archive.rejects`, the rejects of the export.
 */
export function archiveStreamName(kind: EntityKind): string {
  return `archive.${KIND_PLURAL[kind]}`
}

export const archiveStreams: readonly StreamSpec[] = [
  ...ARCHIVE_KIND_ORDER.map((kind, i): StreamSpec => ({
    name: archiveStreamName(kind),
    entities: [kind],
    dependsOn: i === 0 ? [] : [archiveStreamName(ARCHIVE_KIND_ORDER[i - 1]!)],
    resume: 'per-page',
    supportsSince: false,
  })),
  { name: 'archive.rejects', entities: [], dependsOn: [archiveStreamName('attachment')], resume: 'restart', supportsSince: false },
]

// Every kind has a stream: a kind added to the model without one here would be silently left out.
for (const k of ENTITY_KINDS) if (!ARCHIVE_KIND_ORDER.includes(k)) throw new Error(`archive source: no stream for kind ${k}`)
