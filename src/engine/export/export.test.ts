import { describe, expect, it } from 'vitest'
import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { Ajv } from 'ajv'
import { simpleParser, type ParsedMail } from 'mailparser'
import { exportArchive } from './index.js'
import { HOSTILE_TICKET, PDF, PNG, sampleStore, sha } from './export.test-helpers.js'
import { ARCHIVE_SCHEMA_DIR, archiveJsonSchemaFiles } from '../../core/archive/json-schema.js'
import { ENTITY_KINDS, KIND_PLURAL } from '../../core/model/common.js'
import { INCOMPLETE_MARKER, MANIFEST_FILE, type EmlIndexLine, type Manifest } from '../../core/archive/format.js'
import { InterruptedError, UsageError } from '../../core/errors.js'
import { captureLog } from '../../testing/test-server.js'

const ROOT = resolve(import.meta.dirname, '../../..')
const tmp = (): string => join(mkdtempSync(join(tmpdir(), 'dm-archive-')), 'out')
const lines = (file: string): unknown[] => readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as unknown)
const { log } = captureLog()

describe('schemas/archive/v1', () => {
  it('is what the zod schemas generate (run `npm run schema` after changing them)', () => {
    for (const [name, text] of Object.entries(archiveJsonSchemaFiles())) {
      expect(readFileSync(join(ROOT, ARCHIVE_SCHEMA_DIR, name), 'utf8'), name).toBe(text)
    }
    expect(readdirSync(join(ROOT, ARCHIVE_SCHEMA_DIR)).sort()).toEqual(Object.keys(archiveJsonSchemaFiles()).sort())
  })
})

describe('deskmove export: the JSONL part', async () => {
  const store = await sampleStore()
  const out = tmp()
  const summary = await exportArchive({ store, out, log, now: () => new Date('2024-06-01T00:00:00Z') })
  const manifest = JSON.parse(readFileSync(join(out, MANIFEST_FILE), 'utf8')) as Manifest
  const ajv = new Ajv({ allErrors: true, strict: false })
  const validator = (name: string) => ajv.compile(JSON.parse(readFileSync(join(ROOT, ARCHIVE_SCHEMA_DIR, `${name}.schema.json`), 'utf8')) as object)

  it('validates against the published JSON Schema, file by file and line by line', () => {
    const check = (name: string, value: unknown, where: string): void => {
      const v = validator(name)
      expect(v(value), `${where}: ${ajv.errorsText(v.errors)}`).toBe(true)
    }
    check('manifest', manifest, MANIFEST_FILE)
    for (const kind of ENTITY_KINDS) {
      lines(join(out, `records/${KIND_PLURAL[kind]}.jsonl`)).forEach((l, i) => check(`record-${kind}`, l, `records ${kind} ${i}`))
      lines(join(out, `raw/${KIND_PLURAL[kind]}.jsonl`)).forEach((l, i) => check('raw-line', l, `raw ${kind} ${i}`))
    }
    lines(join(out, 'warnings.jsonl')).forEach((l) => check('warning-line', l, 'warnings'))
    lines(join(out, 'rejects.jsonl')).forEach((l) => check('reject-line', l, 'rejects'))
    lines(join(out, 'attachment-files.jsonl')).forEach((l) => check('attachment-file-line', l, 'attachment-files'))
    lines(join(out, 'eml/index.jsonl')).forEach((l) => check('eml-index-line', l, 'eml index'))
    // The schema rejects what is not an archive line: the check above can fail.
    expect(validator('record-ticket')({ kind: 'ticket' })).toBe(false)
  })

  it('writes a manifest with counts and the sha256 of every file, last, and no incomplete marker', () => {
    expect(manifest).toMatchObject({ format: 'deskmove-archive', formatVersion: 1, sources: ['helpscout'], formats: ['jsonl', 'eml'], createdAt: '2024-06-01T00:00:00.000Z' })
    expect(manifest.counts.records).toMatchObject({ ticket: 2, message: 5, attachment: 4, agent: 1, customer: 1, group: 1 })
    expect(manifest.counts.attachmentFiles).toEqual({ stored: 3, withoutBytes: 1, distinctBlobs: 2, bytes: PNG.length + PDF.length })
    for (const [rel, f] of Object.entries(manifest.files)) {
      expect(createHash('sha256').update(readFileSync(join(out, rel))).digest('hex'), rel).toBe(f.sha256)
    }
    expect(Object.keys(manifest.files)).toContain('records/tickets.jsonl')
    expect(existsSync(join(out, INCOMPLETE_MARKER))).toBe(false)
    expect(summary.attachmentsWithoutBytes).toBe(1)
  })

  it('keeps raw payloads, warnings and rejects, and strings exactly (invalid UTF-8 as U+FFFD, a lone surrogate escaped)', () => {
    const raw = lines(join(out, 'raw/tickets.jsonl')) as { sourceId: string; raw: unknown }[]
    expect(raw.find((r) => r.sourceId === '100')?.raw).toEqual({ vendorId: '100', extra: { nested: [1, 2] } })
    expect(lines(join(out, 'warnings.jsonl'))).toContainEqual(expect.objectContaining({ kind: 'message', sourceId: 'm2', code: 'missing-field' }))
    expect(lines(join(out, 'rejects.jsonl'))).toEqual(expect.arrayContaining([expect.objectContaining({ phase: 'extract', sourceId: '999', raw: { id: 999 } }), expect.objectContaining({ phase: 'blob', sourceId: 'a4' })]))
    const hostile = (lines(join(out, 'records/tickets.jsonl')) as { sourceId: string; subject: string }[]).find((t) => t.sourceId === HOSTILE_TICKET)
    expect(hostile?.subject).toBe('Hostile id and bad bytes \uFFFD \uD800 tail')
    expect(readFileSync(join(out, 'records/tickets.jsonl'), 'utf8')).toContain('\\ud800')
  })

  it('stores each distinct attachment file once, named by its sha256, and lists the one without bytes', () => {
    expect(readdirSync(join(out, 'blobs')).sort()).toEqual([sha(PNG), sha(PDF)].sort())
    expect(readFileSync(join(out, 'blobs', sha(PDF)))).toEqual(PDF)
    const files = lines(join(out, 'attachment-files.jsonl')) as { attachmentId: string; status: string; file: string | null }[]
    expect(files.find((f) => f.attachmentId === 'a4')).toMatchObject({ status: 'pending', file: null })
    expect(files.find((f) => f.attachmentId === 'a2')).toMatchObject({ status: 'stored', file: `blobs/${sha(PDF)}` })
  })

  it('never writes outside the archive for hostile ids', () => {
    const index = lines(join(out, 'eml/index.jsonl')) as EmlIndexLine[]
    const hostile = index.filter((l) => l.ticketId === HOSTILE_TICKET)
    expect(hostile).toHaveLength(1)
    expect(hostile[0]!.path).toMatch(/^eml\/helpscout\/x-[0-9a-f]{12}\/0000-m_5-[0-9a-f]{12}\.eml$/)
    expect(existsSync(resolve(out, '../x'))).toBe(false)
  })
})

describe('deskmove export: the emails', async () => {
  const store = await sampleStore()
  const out = tmp()
  await exportArchive({ store, out, log, formats: ['eml'] })
  const index = lines(join(out, 'eml/index.jsonl')) as EmlIndexLine[]
  const parsed = new Map<string, ParsedMail>()
  for (const l of index) if (l.path) parsed.set(l.messageId, await simpleParser(readFileSync(join(out, l.path))))
  const mail = (id: string): ParsedMail => parsed.get(id)!

  it('writes one .eml per email message (system events listed as skipped), hashed in the index', () => {
    // Tickets by id ('../../x' sorts first), messages in thread order.
    expect(index.map((l) => [l.messageId, l.path === null ? l.skipped : 'eml'])).toEqual([
      ['../m/5', 'eml'], ['m1', 'eml'], ['m2', 'eml'], ['m3', 'eml'], ['m4', 'system_event: ticket history, not an email (kept in records/messages.jsonl)'],
    ])
    for (const l of index.filter((x) => x.path)) expect(sha(readFileSync(join(out, l.path!)))).toBe(l.sha256)
    expect(existsSync(join(out, 'records')), 'eml only: no JSONL part').toBe(false)
  })

  it('threads the messages: Message-ID (the original when known), In-Reply-To, References', () => {
    expect(mail('m1').messageId).toBe('<orig-1@mail.customer.example>')
    expect(mail('m1').inReplyTo).toBeUndefined()
    expect(mail('m2').messageId).toBe('<helpscout.100.m2@archive.deskmove.invalid>')
    expect(mail('m2').inReplyTo).toBe('<orig-1@mail.customer.example>')
    expect(mail('m3').references).toEqual(['<orig-1@mail.customer.example>', '<helpscout.100.m2@archive.deskmove.invalid>'])
    expect(mail('m2').subject).toBe('Re: Printer on fire')
  })

  it('keeps From/To/Cc/Bcc/Date, HTML and text, and marks internal notes', () => {
    const m2 = mail('m2')
    expect(m2.from?.value).toEqual([{ name: 'Ada Agent', address: 'ada@support.example' }])
    expect(m2.to && !Array.isArray(m2.to) ? m2.to.value.map((a) => a.address) : null).toEqual(['carol@customer.example'])
    expect(m2.cc && !Array.isArray(m2.cc) ? m2.cc.value.map((a) => a.address) : null).toEqual(['boss@customer.example'])
    expect(m2.bcc && !Array.isArray(m2.bcc) ? m2.bcc.value.map((a) => a.address) : null).toEqual(['audit@support.example'])
    expect(m2.date?.toISOString()).toBe('2024-03-01T10:01:00.000Z')
    expect(m2.html).toContain('<p>Water.</p>')
    expect(m2.text?.trim()).toBe('Water.')
    expect(mail('m1').to && !Array.isArray(mail('m1').to) ? (mail('m1').to as { value: { address?: string }[] }).value[0]!.address : null, 'a customer message goes to the mailbox').toBe('support@example.test')
    expect(mail('m3').headers.get('x-deskmove-note')).toBe('internal')
    expect(mail('m2').headers.get('x-deskmove-note')).toBeUndefined()
    expect(mail('../m/5').text).toContain('lone surrogate')
  })

  it('lets no vendor text add a header (a name with CRLF stays a name)', () => {
    const hostile = mail('../m/5')
    expect(hostile.bcc).toBeUndefined()
    expect(hostile.from?.value[0]?.address).toBe('eve@customer.example')
    expect(hostile.subject).toBe('Hostile id and bad bytes \uFFFD \uFFFD tail')
  })

  it('carries attachments intact, the inline image as a cid: related part, and names the one without bytes', () => {
    const m1 = mail('m1')
    const img = m1.attachments.find((a) => a.filename === 'fire.png')!
    expect(img.cid).toBe('img-1@inline.deskmove')
    expect(img.related).toBe(true)
    expect(sha(img.content)).toBe(sha(PNG))
    const m2 = mail('m2')
    expect(m2.attachments.map((a) => [a.filename, sha(a.content)])).toEqual([['../../etc/passwd.pdf', sha(PDF)], ['same-bytes-again.pdf', sha(PDF)]])
    expect(m2.headers.get('x-deskmove-missing-attachment')).toBe('never-fetched.zip (pending)')
    expect(index.find((l) => l.messageId === 'm2')?.missingAttachments).toEqual([{ attachmentId: 'a4', fileName: 'never-fetched.zip', status: 'pending' }])
  })
})

describe('deskmove export: the output folder', async () => {
  const store = await sampleStore()

  it('refuses a non-empty folder that is not an archive, and touches nothing in it', async () => {
    const out = tmp()
    mkdirSync(out, { recursive: true })
    writeFileSync(join(out, 'thesis.docx'), 'precious')
    await expect(exportArchive({ store, out, log, force: true })).rejects.toThrow(UsageError)
    expect(readdirSync(out)).toEqual(['thesis.docx'])
  })

  it('refuses a previous archive without --force, replaces it with --force', async () => {
    const out = tmp()
    await exportArchive({ store, out, log })
    await expect(exportArchive({ store, out, log })).rejects.toThrow(/already holds a deskmove archive/)
    const again = await exportArchive({ store, out, log, force: true })
    expect(again.replaced).toBe('complete')
    expect(existsSync(join(out, MANIFEST_FILE))).toBe(true)
  })

  it('leaves an interrupted export marked incomplete with no manifest, and writes over it next time', async () => {
    const out = tmp()
    const stop = new AbortController()
    stop.abort()
    await expect(exportArchive({ store, out, log, signal: stop.signal, formats: ['eml'] })).rejects.toThrow(InterruptedError)
    expect(existsSync(join(out, MANIFEST_FILE))).toBe(false)
    expect(existsSync(join(out, INCOMPLETE_MARKER))).toBe(true)
    const again = await exportArchive({ store, out, log })
    expect(again.replaced).toBe('incomplete')
    expect(existsSync(join(out, INCOMPLETE_MARKER))).toBe(false)
  })
})
