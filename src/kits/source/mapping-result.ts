// Turning one wire item into canonical records or a reject: the shared plumbing of every source's pure mapping.
import type { z } from 'zod'
import { schemaByKind } from '../../core/model/index.js'
import type { CanonicalRecord } from '../../core/model/index.js'
import type { EntityKind } from '../../core/model/common.js'
import type { RecordReject, StagedRecord } from '../../core/source.js'

/** What mapping one page (or one item) produced: records to stage and rejects to keep. */
export interface Mapped {
  readonly records: StagedRecord[]
  readonly rejects: RecordReject[]
}

export const emptyMapped = (): Mapped => ({ records: [], rejects: [] })

export function mergeMapped(into: Mapped, more: Mapped): void {
  into.records.push(...more.records)
  into.rejects.push(...more.rejects)
}

/** A vendor value that is valid on the wire but cannot be expressed canonically. */
export class MappingFailure extends Error {}

/** Formats zod issues as `path: message` so a reject names the exact field. */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((i) => `${i.path.length > 0 ? i.path.join('.') : '(root)'}: ${i.message}`)
    .join('; ')
}

/** Reads the vendor id of a payload that may not have validated. */
export function readableId(raw: unknown, fallback: string): string {
  if (raw !== null && typeof raw === 'object' && 'id' in raw) {
    const id = (raw as { id: unknown }).id
    if ((typeof id === 'number' && Number.isFinite(id)) || (typeof id === 'string' && id !== '')) return String(id)
  }
  return fallback
}

export function rejectOf(kind: EntityKind | 'page', sourceId: string, reason: string, detail: string, raw: unknown): RecordReject {
  return { kind, sourceId, reason, detail, raw }
}

/**
 * Validates a canonical record against the model; a mismatch is a mapping bug or a vendor value the
 * model cannot hold, so it becomes a `mapping-failed` reject rather than a crash.
 */
export function stageCanonical(record: CanonicalRecord, raw: unknown): StagedRecord | RecordReject {
  const parsed = schemaByKind[record.kind].safeParse(record)
  if (!parsed.success) {
    return rejectOf(record.kind, record.sourceId, 'mapping-failed', describeIssues(parsed.error), raw)
  }
  return { canonical: parsed.data as CanonicalRecord, raw }
}

/**
 * Maps one wire item: `schema-mismatch` when the payload fails its wire schema, `mapping-failed` when the
 * mapping throws `MappingFailure` or yields a record the canonical model rejects.
 */
export function mapItem<T extends z.ZodTypeAny>(
  kind: EntityKind,
  raw: unknown,
  schema: T,
  where: string,
  toRecords: (wire: z.output<T>) => CanonicalRecord[],
): Mapped {
  const out = emptyMapped()
  const parsed = schema.safeParse(raw)
  if (!parsed.success) {
    out.rejects.push(rejectOf(kind, readableId(raw, where), 'schema-mismatch', describeIssues(parsed.error), raw))
    return out
  }
  let records: CanonicalRecord[]
  try {
    records = toRecords(parsed.data)
  } catch (e) {
    if (!(e instanceof MappingFailure)) throw e
    out.rejects.push(rejectOf(kind, readableId(raw, where), 'mapping-failed', e.message, raw))
    return out
  }
  for (const record of records) {
    const staged = stageCanonical(record, raw)
    if ('canonical' in staged) out.records.push(staged)
    else out.rejects.push(staged)
  }
  return out
}
