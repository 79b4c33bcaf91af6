// Test support for verify and show: a staged helpdesk loaded into the memory target, and a verifier that
// compares the memory target's stored summaries with the planned ones.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { CanonicalRecord } from '../core/model/index.js'
import { defaultMappingConfig, type MappingConfig } from '../core/mapping-config.js'
import { openStagingStore, type StagingStore } from '../staging/store.js'
import { upsertRecord } from '../staging/records.js'
import { createMemoryTarget, type MemoryOp } from './memory-target.js'
import { makeCustomer, makeMessage, makeTicket } from './canonical-factories.js'
import { stableJson } from '../staging/hash.js'
import { runLoad } from '../engine/load.js'
import { SideEffectGate } from '../engine/side-effects.js'
import type { CheckFinding, CompareOutcome, TargetVerifier } from '../engine/verify.js'

export interface VerifyFixture {
  readonly store: StagingStore
  readonly source: string
  readonly target: ReturnType<typeof createMemoryTarget>
  readonly config: MappingConfig
  /** Stages (or replaces) records after the initial load. */
  stage(...records: CanonicalRecord[]): void
  /** Target ref of a loaded ticket. */
  refOf(ticketId: string): string
  close(): void
}

/** Customer `1`, tickets `1..n` with one message each, and ticket `orphan` whose customer is not staged; then one apply. */
export async function verifyFixture(n: number): Promise<VerifyFixture> {
  const dir = mkdtempSync(join(tmpdir(), 'deskmove-verify-fx-'))
  const store = openStagingStore(join(dir, 'staging.db'))
  const stage = (...records: CanonicalRecord[]) => {
    for (const r of records) upsertRecord(store.db, r, { fixture: r.sourceId }, 'fixture', 'stage', '2024-01-01T00:00:00.000Z')
  }
  stage(makeCustomer('1'))
  for (let i = 1; i <= n; i++) stage(makeTicket(String(i)), makeMessage(`m${i}`, String(i), 0))
  stage(makeTicket('orphan', { customerRef: { kind: 'customer', sourceId: 'nobody' } }))
  const target = createMemoryTarget()
  const config = defaultMappingConfig()
  await runLoad({ store, source: 'helpscout', target, config, runId: 'run-1', now: () => new Date('2025-01-01T00:00:00Z'), signal: new AbortController().signal, gate: new SideEffectGate('apply') })
  return {
    store,
    source: 'helpscout',
    target,
    config,
    stage,
    refOf: (id) => (store.db.prepare("SELECT target_ref FROM id_map WHERE kind = 'ticket' AND source_id = ?").pluck().get(id) as string),
    close: () => {
      store.close()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

/** Compares the memory target's stored summary with the op's, field by field; `findings` are returned as checks. */
export function memoryVerifier(target: VerifyFixture['target'], findings: CheckFinding[] = []): TargetVerifier<MemoryOp> & { fail: Error | null } {
  const v = {
    fail: null as Error | null,
    async compare(items: readonly { op: MemoryOp; targetRef: string }[]): Promise<CompareOutcome[]> {
      if (v.fail) throw v.fail
      return items.map((i): CompareOutcome => {
        const obj = target.state.objects.get(i.targetRef)
        if (!obj) return { status: 'missing', detail: `object ${i.targetRef} is gone` }
        const diffs = Object.keys(i.op.summary)
          .filter((k) => stableJson(i.op.summary[k]) !== stableJson(obj.summary[k]))
          .map((field) => ({ field, expected: i.op.summary[field], actual: obj.summary[field] }))
        return { status: 'found', diffs }
      })
    },
    async checks() {
      return findings
    },
  }
  return v
}
