import { describe, expect, it } from 'vitest'
import { renderZnunyDdl } from './render-ddl.js'
import { ZNUNY_TABLES } from './schema.js'

const table = (name: string) => ZNUNY_TABLES.find((t) => t.name === name)!

describe('Znuny stand-in DDL', () => {
  it('renders MySQL/MariaDB tables as one InnoDB utf8mb4 statement with inline keys and prefix indexes on long text', () => {
    const [sql, ...more] = renderZnunyDdl(table('ticket'), 'mysql')
    expect(more).toEqual([])
    expect(sql).toMatch(/^CREATE TABLE `ticket` \(/)
    expect(sql).toContain('`id` BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY')
    expect(sql).toContain('`create_time` DATETIME NOT NULL')
    expect(sql).toContain('UNIQUE KEY `ticket_tn_uq` (`tn`)')
    expect(sql).toContain('KEY `ticket_title` (`title`(191))')
    expect(sql).toMatch(/ENGINE=InnoDB DEFAULT CHARSET=utf8mb4/)
    expect(renderZnunyDdl(table('article_data_mime_attachment'), 'mysql')[0]).toContain('`content` LONGBLOB NULL')
    expect(renderZnunyDdl(table('article_data_mime'), 'mysql')[0]).toContain('`incoming_time` INTEGER NOT NULL')
  })

  it('renders PostgreSQL with bigserial, timestamp(0), bytea and separate indexes', () => {
    const [sql, ...indexes] = renderZnunyDdl(table('ticket'), 'postgres')
    expect(sql).toContain('"id" bigserial PRIMARY KEY')
    expect(sql).toContain('"create_time" timestamp(0) without time zone NOT NULL')
    expect(sql).toContain('"archive_flag" SMALLINT NOT NULL DEFAULT 0')
    expect(indexes).toContain('CREATE UNIQUE INDEX "ticket_tn_uq" ON "ticket" ("tn")')
    expect(renderZnunyDdl(table('mail_queue'), 'postgres')[0]).toContain('"raw_message" BYTEA NOT NULL')
  })

  it('gives customer_company its string primary key', () => {
    expect(renderZnunyDdl(table('customer_company'), 'postgres')[0]).toContain('PRIMARY KEY ("customer_id")')
    expect(renderZnunyDdl(table('customer_company'), 'mysql')[0]).toContain('PRIMARY KEY (`customer_id`)')
  })
})
