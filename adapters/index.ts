// THE registry: every adapter deskmove knows, as explicit lists (rclone backend/all).
import type { AnySourceDefinition } from '../src/core/source.js'
import { UsageError } from '../src/core/errors.js'
import type { AnyTarget, TargetDefinition } from '../src/core/target.js'
import { helpscoutSource } from './sources/helpscout/index.js'
import { archiveSource } from './sources/archive/index.js'
import { zendeskSource } from './sources/zendesk/index.js'
import { freescoutTarget } from './targets/freescout/index.js'
import { znunyTarget } from './targets/znuny/index.js'

export const SOURCES: readonly AnySourceDefinition[] = [helpscoutSource, zendeskSource, archiveSource]

export function findSource(id: string): AnySourceDefinition {
  const def = SOURCES.find((s) => s.id === id)
  if (!def) throw new UsageError(`unknown source "${id}"; available: ${SOURCES.map((s) => s.id).join(', ')}`)
  return def
}

// `any`: each definition has its own config, plan and op types; the registry erases them (the CLI
// narrows nothing, it only hands a definition's own values back to it).
export type AnyTargetDefinition = TargetDefinition<any, any, any, any>

export const TARGETS: readonly AnyTargetDefinition[] = [freescoutTarget, znunyTarget]

export function findTarget(id: string): AnyTargetDefinition {
  const def = TARGETS.find((t) => t.id === id || t.aliases?.includes(id))
  if (!def) throw new UsageError(`unknown target "${id}"; available: ${TARGETS.map((t) => t.id).join(', ')}`)
  return def
}

export type { AnyTarget }
