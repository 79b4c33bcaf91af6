// Verify through the target contract: the target's own verifier when it has one, otherwise the generic one
// that reads each object back with `snapshot` and compares it with the planned op's `summary`.
import type { AnyTarget, WriteOpBase } from '../core/target.js'
import type { CompareOutcome, FieldDiff, TargetVerifier } from '../core/target-verify.js'
import type { MappingConfig } from '../core/mapping-config.js'
import { stableJson } from '../staging/hash.js'
import { runVerify, type VerifyOptions, type VerifyResult } from './verify.js'
import type { TraceTarget } from './trace.js'

/**
 * The generic verifier: every field of the op's `summary` must read back equal through `snapshot`
 * (compared as stable JSON, so numbers and strings are not confused). A null snapshot is a missing object.
 */
export function snapshotVerifier(target: AnyTarget): TargetVerifier<WriteOpBase> {
  return {
    async compare(items, ctx): Promise<CompareOutcome[]> {
      const out: CompareOutcome[] = []
      for (const i of items) {
        const got = await target.snapshot(i.op.ref.kind, i.targetRef, ctx.signal)
        if (!got) {
          out.push({ status: 'missing', detail: `${i.op.ref.kind} ${i.targetRef} is not in ${target.id} (the id map says apply wrote it)` })
          continue
        }
        const diffs: FieldDiff[] = []
        for (const [field, expected] of Object.entries(i.op.summary)) {
          const actual = got[field] ?? null
          if (stableJson(actual) !== stableJson(expected ?? null)) diffs.push({ field, expected, actual })
        }
        out.push({ status: 'found', diffs })
      }
      return out
    },
  }
}

/** The verifier `verify` and `show` use for a target: its own, or the generic snapshot comparison. */
export async function verifierFor(target: AnyTarget, signal: AbortSignal): Promise<TargetVerifier<WriteOpBase>> {
  return target.verifier ? await target.verifier(signal) : snapshotVerifier(target)
}

/** `deskmove verify <target>`: staged tickets (or a sample) against the target, through the contract. */
export async function verifyTarget(o: Omit<VerifyOptions, 'verifier'>): Promise<VerifyResult> {
  const r = await runVerify({ ...o, verifier: await verifierFor(o.target, o.signal) })
  return { ...r, method: o.target.verifier ? 'target' : 'snapshot' }
}

/** What `deskmove show` needs to plan and verify one record against a target (connects it). */
export async function traceTargetFor(target: AnyTarget, config: MappingConfig, signal: AbortSignal): Promise<TraceTarget> {
  return { target, config, verifier: await verifierFor(target, signal) }
}
