// Reading back what a run left behind: the staging store (SQLite, read-only) and the FreeScout database
// (MariaDB). Only table and column names a user could see with `sqlite3`/`mysql` are used.
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import mysql from 'mysql2/promise'
import { listFiles, sha256File } from './checks.js'

/** Manifest kind (plural) → staged kind. */
export const KIND_OF: Readonly<Record<string, string>> = {
  agents: 'agent',
  customers: 'customer',
  organizations: 'organization',
  groups: 'group',
  tickets: 'ticket',
  messages: 'message',
  attachments: 'attachment',
}

/** What the staging store of a work dir holds, per manifest kind, plus the sha256 of each fetched blob. */
export interface StagedView {
  readonly ids: Record<string, string[]>
  /** Attachment id → sha256 of the bytes on disk (null when the blob file is missing). */
  readonly blobSha: Map<string, string | null>
  /** Files left in `deskmove.blobs/tmp`. */
  readonly tmpFiles: number
  /** Runs still marked `running` although no process is running. */
  readonly runsLeftRunning: number
}

/**
 * The warnings staging holds (what `deskmove show` prints per record): one line per warning, naming the record,
 * e.g. `message 500~2: reused-id …`. Records staged with a gap or oddity are named here, not as rejects.
 */
export function readWarnings(workdir: string): string[] {
  const db = new Database(join(workdir, 'deskmove.db'), { readonly: true, fileMustExist: true })
  try {
    const rows = db.prepare('SELECT kind, source_id, code, detail FROM record_warning ORDER BY id').all() as { kind: string; source_id: string; code: string; detail: string }[]
    return rows.map((r) => `warning ${r.kind} ${r.source_id}: ${r.code} ${r.detail}`)
  } finally {
    db.close()
  }
}

export async function readStaging(workdir: string, source = 'helpscout'): Promise<StagedView> {
  const db = new Database(join(workdir, 'deskmove.db'), { readonly: true, fileMustExist: true })
  try {
    const ids: Record<string, string[]> = {}
    for (const [plural, kind] of Object.entries(KIND_OF)) {
      ids[plural] = (db.prepare('SELECT source_id FROM staged_record WHERE source = ? AND kind = ?').all(source, kind) as { source_id: string }[]).map((r) => r.source_id)
    }
    const blobSha = new Map<string, string | null>()
    const rows = db.prepare("SELECT source_id, sha256 FROM blob_fetch WHERE source = ? AND sha256 IS NOT NULL").all(source) as { source_id: string; sha256: string }[]
    const blobs = join(workdir, 'deskmove.blobs')
    for (const r of rows) {
      const path = join(blobs, r.sha256.slice(0, 2), r.sha256.slice(2, 4), r.sha256)
      // The hash of the bytes on disk, not the recorded one: a torn write must show up as corrupted.
      blobSha.set(r.source_id, existsSync(path) ? await sha256File(path) : null)
    }
    const running = db.prepare("SELECT COUNT(*) AS n FROM run WHERE status = 'running'").get() as { n: number }
    return { ids, blobSha, tmpFiles: listFiles(join(blobs, 'tmp')).length, runsLeftRunning: running.n }
  } finally {
    db.close()
  }
}

const MYSQL_SERVER = process.env.DESKMOVE_TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306'

async function admin(): Promise<mysql.Connection> {
  const u = new URL(MYSQL_SERVER)
  return mysql.createConnection({ host: u.hostname, port: Number(u.port || 3306), user: decodeURIComponent(u.username) || 'root', password: decodeURIComponent(u.password), connectTimeout: 1500 })
}

/** Null when MariaDB answers; otherwise why the apply campaigns are skipped. */
export async function mariadbUnavailable(): Promise<string | null> {
  try {
    const c = await admin()
    await c.query('SELECT 1')
    await c.end()
    return null
  } catch (e) {
    return `MariaDB not reachable at ${new URL(MYSQL_SERVER).host}: ${(e as Error).message}`
  }
}

/** A throw-away FreeScout database. */
export interface ScratchDb {
  readonly url: string
  query<T>(sql: string, params?: unknown[]): Promise<T[]>
  drop(): Promise<void>
}

export async function scratchDb(tag: string): Promise<ScratchDb> {
  const name = `chaos_${tag}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`
  const a = await admin()
  await a.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`)
  await a.end()
  const u = new URL(MYSQL_SERVER)
  u.pathname = `/${name}`
  const conn = await mysql.createConnection({ uri: u.href })
  return {
    url: u.href,
    query: async <T>(sql: string, params: unknown[] = []) => (await conn.query(sql, params))[0] as T[],
    drop: async () => {
      await conn.end().catch(() => undefined)
      const b = await admin()
      await b.query(`DROP DATABASE IF EXISTS \`${name}\``)
      await b.end()
    },
  }
}

/** What the FreeScout database and storage hold after an apply. */
export interface TargetView {
  readonly counts: Record<'conversations' | 'threads' | 'customers' | 'attachments', number>
  /** `deskmove.id` of conversations/threads imported more than once. */
  readonly duplicateConversations: string[]
  readonly duplicateThreads: string[]
  /** Files under storage/attachment, relative to it. */
  readonly files: string[]
  /** file_dir + file_name of every attachments row. */
  readonly referenced: string[]
  /** sha256 of each referenced file that exists. */
  readonly fileSha: string[]
}

export async function readTarget(db: ScratchDb, storage: string): Promise<TargetView> {
  const n = async (t: string): Promise<number> => Number((await db.query<{ n: number }>(`SELECT COUNT(*) AS n FROM ${t}`))[0]!.n)
  const dupOf = async (t: string): Promise<string[]> =>
    (await db.query<{ id: string }>(`SELECT JSON_UNQUOTE(JSON_EXTRACT(meta, '$.deskmove.id')) AS id FROM ${t} WHERE meta LIKE '%"deskmove"%' GROUP BY id HAVING COUNT(*) > 1`)).map((r) => String(r.id))
  const rows = await db.query<{ file_dir: string | null; file_name: string }>('SELECT file_dir, file_name FROM attachments')
  const referenced = rows.map((r) => `${r.file_dir ?? ''}/${r.file_name}`)
  const root = join(storage, 'attachment')
  const files = listFiles(root)
  const present = new Set(files.map((f) => f.replace(/\\/g, '/')))
  const fileSha: string[] = []
  for (const ref of referenced) {
    const rel = ref.replace(/^\/+/, '').replace(/\/{2,}/g, '/')
    if (present.has(rel)) fileSha.push(await sha256File(join(root, rel)))
  }
  return {
    counts: { conversations: await n('conversations'), threads: await n('threads'), customers: await n('customers'), attachments: await n('attachments') },
    duplicateConversations: await dupOf('conversations'),
    duplicateThreads: await dupOf('threads'),
    files,
    referenced,
    fileSha,
  }
}
