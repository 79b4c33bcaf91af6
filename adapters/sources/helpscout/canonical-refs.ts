// Small helpers every Help Scout mapper shares (kept apart so the mappers do not import each other).
import type { RecordRef } from '../../../src/core/model/common.js'

export const SOURCE = 'helpscout'

/** A reference to another Help Scout record, or null when the vendor gave no usable id. */
export function refTo(kind: RecordRef['kind'], id: string | null | undefined): RecordRef | null {
  return id === null || id === undefined || id === '' || id === '0' ? null : { kind, sourceId: id }
}

export const nonEmpty = (s: string | null | undefined): string | null => (s === null || s === undefined || s.trim() === '' ? null : s)
