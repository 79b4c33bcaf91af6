// Datasets of the target conformance suite: canonical JSONL files staged into a temporary store.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { Readable } from 'node:stream'
import { canonicalRecordSchema } from '../core/model/index.js'
import type { AnyTarget } from '../core/target.js'
import type { MappingConfig } from '../core/mapping-config.js'
import { openStagingStore, type StagingStore } from '../staging/store.js'
import { upsertRecord } from '../staging/records.js'
import { runLoad, type LoadResult } from '../engine/load.js'
import { SideEffectGate } from '../engine/side-effects.js'

export const DATASETS = [
  'minimal',
  'threads-and-notes',
  'unicode-and-html',
  'attachments-edge',
  'duplicate-source-ids',
  'missing-optional-fields',
  'dangling-references',
  'deleted-people',
  'organizations',
] as const

/** A dataset loaded into a temporary staging store (with the blobs its `$blob` lines declare). */
export interface StagedDataset {
  readonly store: StagingStore
  readonly source: string
  cleanup(): void
}

/** Reads `<dir>/<name>.jsonl` into a fresh staging store. Later lines with the same id replace earlier ones. */
export async function stageDataset(dir: string, name: string): Promise<StagedDataset> {
  const tmp = mkdtempSync(join(tmpdir(), `deskmove-ds-${name}-`))
  const store = openStagingStore(join(tmp, 'staging.db'))
  let source = 'fixture'
  const lines = readFileSync(resolve(dir, `${name}.jsonl`), 'utf8').split('\n').filter((l) => l.trim())
  for (const line of lines) {
    const obj = JSON.parse(line) as Record<string, unknown>
    if ('$blob' in obj) {
      await store.blobs.put(Readable.from([Buffer.from((obj.$blob as { text: string }).text)]))
      continue
    }
    const rec = canonicalRecordSchema.parse(obj)
    source = rec.source
    upsertRecord(store.db, rec, obj, 'fixture', 'stage', '2024-01-01T00:00:00.000Z')
  }
  return {
    store,
    source,
    cleanup: () => {
      store.close()
      rmSync(tmp, { recursive: true, force: true })
    },
  }
}

/** Runs one load of a staged dataset into the harness's target. */
export function loadInto(h: { readonly target: AnyTarget; readonly config: MappingConfig }, ds: StagedDataset, runId: string, opts: { dryRun?: boolean; retryRejects?: boolean } = {}): Promise<LoadResult> {
  return runLoad({
    store: ds.store,
    source: ds.source,
    target: h.target,
    config: h.config,
    runId,
    now: () => new Date('2025-01-01T00:00:00Z'),
    signal: new AbortController().signal,
    gate: new SideEffectGate(opts.dryRun ? 'dry-run' : 'apply'),
    retryRejects: opts.retryRejects,
  })
}

