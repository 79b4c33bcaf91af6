import { describe, expect, it } from 'vitest'
import { renderTableDdl } from './render-ddl.js'
import { CORE_TABLES, CUSTOM_FIELDS_TABLES, TAGS_TABLES } from './schema.js'

const table = (name: string) => {
  const t = [...CORE_TABLES, ...TAGS_TABLES, ...CUSTOM_FIELDS_TABLES].find((x) => x.name === name)
  if (!t) throw new Error(`no table ${name}`)
  return t
}
const ddl = (name: string, dialect: 'mysql' | 'postgres'): string => renderTableDdl(table(name), dialect).join(';\n')

describe('renderTableDdl', () => {
  it('keeps the state default 1 (draft) trap and the NOT NULL columns without default', () => {
    for (const d of ['mysql', 'postgres'] as const) {
      expect(ddl('conversations', d)).toMatch(/.state.\s+\S+( unsigned)? NOT NULL DEFAULT 1,/)
      expect(ddl('threads', d)).toMatch(/.state.\s+\S+( unsigned)? NOT NULL DEFAULT 1,/)
      expect(ddl('conversations', d)).toMatch(/.preview. varchar\(255\) NOT NULL,/)
    }
  })

  it('uses MySQL TIMESTAMP NULL and PostgreSQL timestamp(0) without time zone', () => {
    expect(ddl('threads', 'mysql')).toContain('`created_at` timestamp NULL DEFAULT NULL')
    expect(ddl('threads', 'postgres')).toContain('"created_at" timestamp(0) without time zone NULL')
  })

  it('indexes a 191-char prefix of message_id uniquely in both dialects', () => {
    expect(ddl('threads', 'mysql')).toContain('CREATE UNIQUE INDEX `threads_message_id_index` ON `threads` (`message_id`(191))')
    expect(ddl('threads', 'postgres')).toContain('CREATE UNIQUE INDEX "threads_message_id_index" ON "threads" ((left("message_id", 191)))')
  })

  it('makes emails.email globally unique and renders booleans per dialect', () => {
    expect(ddl('emails', 'mysql')).toContain('CREATE UNIQUE INDEX `emails_email_unique` ON `emails` (`email`)')
    expect(ddl('attachments', 'mysql')).toContain('`embedded` tinyint(1) NOT NULL DEFAULT 0')
    expect(ddl('attachments', 'postgres')).toContain('"embedded" boolean NOT NULL DEFAULT false')
  })

  it('creates InnoDB utf8mb4_unicode_ci tables on MySQL', () => {
    expect(ddl('users', 'mysql')).toContain('ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci')
  })

  it('keeps index names within both engines\' identifier limits and unique across tables', () => {
    const names = [...CORE_TABLES, ...TAGS_TABLES, ...CUSTOM_FIELDS_TABLES].flatMap((t) => t.indexes.map((i) => i.name))
    expect(new Set(names).size).toBe(names.length)
    expect(names.filter((n) => n.length > 63)).toEqual([])
  })
})
