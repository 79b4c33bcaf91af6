// The archive as a source: reads back what `deskmove export` wrote, so a staging store is reproduced (records,
// raw payloads, warnings, rejects, attachment bytes) and a migration re-runs without the vendor.
import { existsSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { readVerified } from '../../../src/core/sha256-stream.js'
import type { AttachmentBody, CheckReport, Checkpoint, RecordReject, RecordWarning, Source, SourceId, SourcePage, StagedRecord } from '../../../src/core/source.js'
import type { AdapterContext } from '../../../src/core/context.js'
import type { AttachmentRef } from '../../../src/core/model/attachment.js'
import { entityKindSchema, type EntityKind } from '../../../src/core/model/common.js'
import { schemaByKind, type CanonicalRecord } from '../../../src/core/model/index.js'
import { archivePaths, attachmentFileLineSchema, rawLineSchema, rejectLineSchema, warningLineSchema, type AttachmentFileLine } from '../../../src/core/archive/format.js'
import type { ArchiveConfig } from './config.js'
import { openArchive, verifyArchiveFiles, type OpenedArchive } from './manifest.js'
import { jsonLines, parseJson } from './lines.js'
import { ARCHIVE_KIND_ORDER, archiveStreamName } from './streams.js'

const PAGE = 500

/** Warnings the engine derives again from the record itself when it is staged: not replayed, or they would double. */
const REDERIVED = new Set(['replacement-character', 'raw-too-deep', 'external-image'])

/** Where an attachment's bytes are in the archive: the `download` ref of a re-staged attachment. */
interface ArchiveRef {
  readonly archive: { readonly sha256: string | null; readonly status: string; readonly error: string | null }
  /** The vendor's ref the attachment was exported with. */
  readonly original: AttachmentRef
}

function isArchiveRef(ref: AttachmentRef): ref is AttachmentRef & ArchiveRef {
  const a = (ref as { archive?: unknown }).archive
  return typeof a === 'object' && a !== null && 'sha256' in a
}

const key = (kind: string, id: string): string => `${kind}\n${id}`

class ArchiveSource implements Source {
  readonly stagesAs?: SourceId
  private verified: Promise<void> | null = null
  private warnings: Map<string, RecordWarning[]> | null = null

  constructor(private readonly a: OpenedArchive, private readonly ctx: AdapterContext) {
    // The exported source's own id: its records, id maps and provenance stay that source's.
    if (a.source !== null) this.stagesAs = a.source as SourceId
  }

  private verify(): Promise<void> {
    return (this.verified ??= verifyArchiveFiles(this.a))
  }

  async check(): Promise<CheckReport> {
    try {
      await this.verify()
      return { ok: true, items: [{ name: 'archive', status: 'ok', detail: `${this.a.dir}: ${this.a.manifest.sources.join(', ')}, format version ${this.a.manifest.formatVersion}` }] }
    } catch (e) {
      return { ok: false, items: [{ name: 'archive', status: 'error', detail: (e as Error).message }] }
    }
  }

  private async warningsOf(kind: string, id: string): Promise<RecordWarning[] | undefined> {
    if (!this.warnings) {
      const map = new Map<string, RecordWarning[]>()
      for await (const { text } of jsonLines(join(this.a.dir, archivePaths.warnings))) {
        const p = parseJson(text)
        const w = p.ok ? warningLineSchema.safeParse(p.value) : null
        if (!w?.success || w.data.source !== this.a.source || REDERIVED.has(w.data.code)) continue
        const k = key(w.data.kind, w.data.sourceId)
        map.set(k, [...(map.get(k) ?? []), { code: w.data.code, detail: w.data.detail }])
      }
      this.warnings = map
    }
    return this.warnings.get(key(kind, id))
  }

  private async attachmentFiles(): Promise<Map<string, AttachmentFileLine>> {
    const map = new Map<string, AttachmentFileLine>()
    for await (const { text } of jsonLines(join(this.a.dir, archivePaths.attachmentFiles))) {
      const p = parseJson(text)
      const f = p.ok ? attachmentFileLineSchema.safeParse(p.value) : null
      if (f?.success && f.data.source === this.a.source) map.set(f.data.attachmentId, f.data)
    }
    return map
  }

  async *read(stream: string, from: Checkpoint | null): AsyncIterable<SourcePage> {
    await this.verify()
    if (stream === 'archive.rejects') {
      yield await this.rejectsPage()
      return
    }
    const kind = ARCHIVE_KIND_ORDER.find((k) => archiveStreamName(k) === stream)
    if (!kind) throw new Error(`archive source: unknown stream ${stream}`)
    const files = kind === 'attachment' ? await this.attachmentFiles() : null
    const after = typeof from?.line === 'number' ? from.line : 0
    const raws = jsonLines(join(this.a.dir, archivePaths.raw(kind)))[Symbol.asyncIterator]()
    let records: StagedRecord[] = []
    let rejects: RecordReject[] = []
    let last = after
    for await (const { n, text } of jsonLines(join(this.a.dir, archivePaths.records(kind)))) {
      // raw/<kind>.jsonl is written in step with records/<kind>.jsonl: line n of one is line n of the other.
      const raw = await raws.next()
      if (n <= after) continue
      last = n
      const out = await this.toRecord(kind, n, text, raw.done ? null : raw.value.text, files)
      if (out === null) continue
      if ('reason' in out) rejects.push(out)
      else records.push(out)
      if (records.length + rejects.length >= PAGE) {
        yield { records, rejects, checkpoint: { line: last } }
        records = []
        rejects = []
      }
    }
    if (records.length + rejects.length > 0 || last === after) yield { records, rejects, checkpoint: { line: last } }
  }

  /** One line → a record to stage, a reject (what the archive holds but cannot be staged), or null (another source's). */
  private async toRecord(kind: EntityKind, n: number, text: string, rawText: string | null, files: Map<string, AttachmentFileLine> | null): Promise<StagedRecord | RecordReject | null> {
    const where = `${archivePaths.records(kind)} line ${n}`
    const parsed = parseJson(text)
    if (!parsed.ok) return { kind, sourceId: where, reason: 'archive-invalid', detail: `${where} is not JSON: ${parsed.error}`, raw: text }
    const value = parsed.value as { source?: unknown; sourceId?: unknown }
    if (value?.source !== this.a.source) return null
    const rec = schemaByKind[kind].safeParse(value)
    const id = typeof value.sourceId === 'string' ? value.sourceId : where
    if (!rec.success) {
      const issue = rec.error.issues[0]!
      return { kind, sourceId: id, reason: 'schema-mismatch', detail: `${where}: ${issue.path.join('.') || '(root)'}: ${issue.message}`, raw: value }
    }
    const rawParsed = rawText === null ? null : parseJson(rawText)
    const rawLine = rawParsed?.ok ? rawLineSchema.safeParse(rawParsed.value) : null
    if (!rawLine?.success || rawLine.data.sourceId !== rec.data.sourceId || rawLine.data.kind !== kind) {
      return { kind, sourceId: id, reason: 'archive-mismatch', detail: `${archivePaths.raw(kind)} line ${n} is not the raw payload of ${kind} ${id}`, raw: value }
    }
    let canonical = rec.data as CanonicalRecord
    if (canonical.kind === 'attachment') {
      const f = files?.get(canonical.sourceId)
      const ref: ArchiveRef = { archive: { sha256: f?.file ? f.sha256 : null, status: f?.status ?? 'pending', error: f?.error ?? null }, original: canonical.download }
      canonical = { ...canonical, download: ref as unknown as AttachmentRef }
    }
    const warnings = await this.warningsOf(kind, canonical.sourceId)
    return { canonical, raw: rawLine.data.raw, ...(warnings ? { warnings } : {}) }
  }

  private async rejectsPage(): Promise<SourcePage> {
    const rejects: RecordReject[] = []
    for await (const { text } of jsonLines(join(this.a.dir, archivePaths.rejects))) {
      const p = parseJson(text)
      const r = p.ok ? rejectLineSchema.safeParse(p.value) : null
      // Read-side rejects only: what could not be fetched is rejected again by this run's own fetch, target-side ones belong to that target's runs.
      if (!r?.success || r.data.source !== this.a.source || r.data.phase !== 'extract') continue
      const kind = entityKindSchema.safeParse(r.data.kind)
      rejects.push({ kind: kind.success ? kind.data : 'page', sourceId: r.data.sourceId, reason: r.data.reason, detail: r.data.detail, raw: r.data.raw ?? null })
    }
    return { records: [], rejects, checkpoint: { done: true } }
  }

  async openAttachment(ref: AttachmentRef): Promise<AttachmentBody> {
    if (!isArchiveRef(ref)) throw new Error('this attachment was not staged from the archive (no archive ref)')
    const { sha256, status, error } = ref.archive
    if (sha256 === null) throw new Error(`the archive holds no bytes for this attachment (${status}${error ? `: ${error}` : ''} when it was exported)`)
    const path = join(this.a.dir, archivePaths.blob(sha256))
    if (!/^[0-9a-f]{64}$/.test(sha256) || !existsSync(path)) throw new Error(`the archive file ${archivePaths.blob(sha256)} is missing`)
    // The file's name is its hash: bytes that no longer match fail the transfer instead of being staged.
    const body = readVerified(path, sha256, (got) => new Error(`the archive file ${archivePaths.blob(sha256)} is corrupt (its bytes hash to ${got})`))
    this.ctx.log.debug(`attachment bytes from ${archivePaths.blob(sha256)}`)
    return { body, size: statSync(path).size }
  }

  async close(): Promise<void> {}
}

export function createArchiveSource(config: ArchiveConfig, ctx: AdapterContext): Source {
  return new ArchiveSource(openArchive(config.dir, config.source), ctx)
}
