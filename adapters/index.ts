// THE registry: every adapter deskmove knows, as explicit lists (rclone backend/all).
import type { AnySourceDefinition } from '../src/core/source.js'
import { UsageError } from '../src/core/errors.js'
import { helpscoutSource } from './sources/helpscout/index.js'

export const SOURCES: readonly AnySourceDefinition[] = [helpscoutSource]

export function findSource(id: string): AnySourceDefinition {
  const def = SOURCES.find((s) => s.id === id)
  if (!def) throw new UsageError(`unknown source "${id}"; available: ${SOURCES.map((s) => s.id).join(', ')}`)
  return def
}
