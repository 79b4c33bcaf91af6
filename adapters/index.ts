// THE registry: every adapter deskmove knows, as explicit lists (rclone backend/all).
import type { AnySourceDefinition } from '../src/core/source.js'
import { UsageError } from '../src/core/errors.js'
import type { AnyTarget, TargetDefinition } from '../src/core/target.js'
import { helpscoutSource } from './sources/helpscout/index.js'
import { freescoutTarget, type FreescoutTarget } from './targets/freescout/index.js'
import { freescoutTraceTarget, verifyFreescout } from './targets/freescout/verify.js'
import type { VerifyResult } from '../src/engine/verify.js'
import type { TraceTarget } from '../src/engine/trace.js'
import type { MappingConfig } from '../src/core/mapping-config.js'
import type { StagingStore } from '../src/staging/store.js'

export const SOURCES: readonly AnySourceDefinition[] = [helpscoutSource]

export function findSource(id: string): AnySourceDefinition {
  const def = SOURCES.find((s) => s.id === id)
  if (!def) throw new UsageError(`unknown source "${id}"; available: ${SOURCES.map((s) => s.id).join(', ')}`)
  return def
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each definition has its own config type
export type AnyTargetDefinition = TargetDefinition<any, any, any>

export const TARGETS: readonly AnyTargetDefinition[] = [freescoutTarget]

export function findTarget(id: string): AnyTargetDefinition {
  const def = TARGETS.find((t) => t.id === id || t.aliases?.includes(id))
  if (!def) throw new UsageError(`unknown target "${id}"; available: ${TARGETS.map((t) => t.id).join(', ')}`)
  return def
}

export type { AnyTarget }

/** What `verify` needs from a target beyond the contract: reading its objects back and comparing them. */
export interface TargetVerification {
  verify(a: { store: StagingStore; source: string; target: AnyTarget; config: unknown; mapping: MappingConfig; samplePct: number; combinedPath: string | null; signal: AbortSignal; progress?: (checked: number) => void }): Promise<VerifyResult>
  traceTarget(target: AnyTarget, config: unknown, mapping: MappingConfig): Promise<TraceTarget>
}

const VERIFICATION: Readonly<Record<string, TargetVerification>> = {
  freescout: {
    verify: (a) => verifyFreescout({ ...a, target: a.target as unknown as FreescoutTarget, storageDir: (a.config as { storageDir: string }).storageDir }),
    traceTarget: (t, config, mapping) => freescoutTraceTarget(t as unknown as FreescoutTarget, (config as { storageDir: string }).storageDir, mapping),
  },
}

export function findVerification(targetId: string): TargetVerification {
  const v = VERIFICATION[findTarget(targetId).id]
  if (!v) throw new UsageError(`verify is not available for ${targetId} yet`)
  return v
}
