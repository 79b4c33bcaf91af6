// The JSONL part of an archive: records and raw payloads per kind, warnings, open rejects, and every
// attachment's bytes as a file named by its sha256 (each distinct file once).
import { existsSync, mkdirSync, renameSync, rmSync, statSync, createWriteStream } from 'node:fs'
import { join } from 'node:path'
import { pipeline } from 'node:stream/promises'
import { ENTITY_KINDS } from '../../core/model/common.js'
import { InterruptedError } from '../../core/errors.js'
import type { Attachment } from '../../core/model/attachment.js'
import type { Logger } from '../../core/log.js'
import type { StagingStore } from '../../staging/store.js'
import { allWarnings, blobStateOf, openRejects, recordsOfKind } from '../../staging/export-reads.js'
import { archivePaths, type AttachmentFileLine, type RejectLine, type WarningLine } from '../../core/archive/format.js'
import { JsonlWriter, type WrittenFile } from './jsonl-writer.js'

export interface JsonlPart {
  readonly files: Record<string, WrittenFile>
  readonly records: Record<string, number>
  readonly warnings: number
  readonly rejects: number
  readonly attachmentFiles: { stored: number; withoutBytes: number; distinctBlobs: number; bytes: number }
  /** Blob files the archive now holds (sha256). */
  readonly blobs: Set<string>
}

export interface JsonlOptions {
  readonly store: StagingStore
  readonly out: string
  readonly signal: AbortSignal
  readonly log: Logger
  readonly onRecord?: () => void
}

function checkAbort(signal: AbortSignal): void {
  if (signal.aborted) throw new InterruptedError('export interrupted: the archive is incomplete (it has no manifest.json); run the same export again')
}

/** Copies a blob into the archive (verified as read), unless the same file is already there from a replaced archive. */
async function copyBlob(store: StagingStore, out: string, sha256: string, size: number | null): Promise<number> {
  const dest = join(out, archivePaths.blob(sha256))
  if (existsSync(dest) && (size === null || statSync(dest).size === size)) return statSync(dest).size
  mkdirSync(join(out, 'blobs'), { recursive: true })
  const tmp = `${dest}.tmp-${process.pid}`
  try {
    await pipeline(store.blobs.open(sha256), createWriteStream(tmp))
    renameSync(tmp, dest)
  } catch (e) {
    rmSync(tmp, { force: true })
    throw e
  }
  return statSync(dest).size
}

export async function writeJsonlPart(o: JsonlOptions): Promise<JsonlPart> {
  const { db } = o.store
  const files: Record<string, WrittenFile> = {}
  const records: Record<string, number> = {}
  const blobs = new Set<string>()
  const att = { stored: 0, withoutBytes: 0, distinctBlobs: 0, bytes: 0 }
  const attFiles = new JsonlWriter(o.out, archivePaths.attachmentFiles)
  for (const kind of ENTITY_KINDS) {
    const rec = new JsonlWriter(o.out, archivePaths.records(kind))
    const raw = new JsonlWriter(o.out, archivePaths.raw(kind))
    let n = 0
    for (const row of recordsOfKind(db, kind)) {
      if (++n % 500 === 0) checkAbort(o.signal)
      rec.write(null, row.canonicalJson)
      raw.write(null, `{"source":${JSON.stringify(row.source)},"kind":${JSON.stringify(row.kind)},"sourceId":${JSON.stringify(row.sourceId)},"stream":${JSON.stringify(row.stream)},"raw":${row.rawJson}}`)
      o.onRecord?.()
      if (kind === 'attachment') {
        const a = JSON.parse(row.canonicalJson) as Attachment
        const state = blobStateOf(db, row.source, row.sourceId)
        let line: AttachmentFileLine = { source: row.source, attachmentId: row.sourceId, fileName: a.fileName, status: state?.status ?? 'pending', sha256: state?.sha256 ?? null, size: state?.size ?? null, file: null, error: state?.error ?? null }
        if (state?.status === 'stored' && state.sha256) {
          try {
            const bytes = await copyBlob(o.store, o.out, state.sha256, state.size)
            if (!blobs.has(state.sha256)) {
              blobs.add(state.sha256)
              att.bytes += bytes
            }
            line = { ...line, file: archivePaths.blob(state.sha256) }
          } catch (e) {
            // Staging says stored but the file is gone or corrupt: listed as failed, and said.
            const error = `the staging blob store could not give the bytes: ${(e as Error).message}`
            o.log.warn(`attachment ${row.sourceId} (${a.fileName}): ${error}`)
            line = { ...line, status: 'failed', file: null, error }
          }
        }
        if (line.file) att.stored++
        else att.withoutBytes++
        attFiles.write(line)
      }
    }
    records[kind] = n
    files[rec.relPath] = rec.close()
    files[raw.relPath] = raw.close()
  }
  files[attFiles.relPath] = attFiles.close()
  att.distinctBlobs = blobs.size
  const warn = new JsonlWriter(o.out, archivePaths.warnings)
  let warnings = 0
  for (const w of allWarnings(db)) {
    warn.write({ source: w.source, kind: w.kind, sourceId: w.sourceId, phase: w.phase, code: w.code, detail: w.detail } satisfies WarningLine)
    warnings++
  }
  files[warn.relPath] = warn.close()
  const rej = new JsonlWriter(o.out, archivePaths.rejects)
  let rejects = 0
  for (const r of openRejects(db)) {
    const line: Omit<RejectLine, 'raw'> = { phase: r.phase, source: r.source, target: r.target, stream: r.stream, kind: r.kind, sourceId: r.sourceId, reason: r.reason, detail: r.detail, createdAt: r.createdAt }
    // The raw payload as stored (JSON text): spliced in, never re-serialised.
    rej.write(null, r.rawJson === null ? JSON.stringify(line) : `${JSON.stringify(line).slice(0, -1)},"raw":${r.rawJson}}`)
    rejects++
  }
  files[rej.relPath] = rej.close()
  return { files, records, warnings, rejects, attachmentFiles: att, blobs }
}
