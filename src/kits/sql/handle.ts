// The dialect-independent part of a handle: queries, writes, transactions and savepoints over a Runner.
import type { SqlDb, SqlDialect, SqlLocation, SqlWriteResult } from './types.js'

/** Low-level access to one connection (or the pool): the dialect differences live behind this. */
export interface Runner {
  run(sql: string, params: readonly unknown[]): Promise<{ rows: Record<string, unknown>[]; insertId: number | null; affectedRows: number }>
}

/** Opens a transaction on a fresh connection and hands the function a handle bound to it. */
export type Begin = <T>(fn: (tx: SqlDb) => Promise<T>) => Promise<T>

export class Handle implements SqlDb {
  private depth = 0
  constructor(
    readonly dialect: SqlDialect,
    readonly location: SqlLocation,
    private readonly runner: Runner,
    private readonly begin: Begin | null,
    private readonly end: () => Promise<void>,
  ) {}

  async query<T = Record<string, unknown>>(sql: string, params: readonly unknown[] = []): Promise<T[]> {
    return (await this.runner.run(sql, params)).rows as T[]
  }

  async execute(sql: string, params: readonly unknown[] = []): Promise<SqlWriteResult> {
    const { insertId, affectedRows } = await this.runner.run(sql, params)
    return { insertId, affectedRows }
  }

  async transaction<T>(fn: (tx: SqlDb) => Promise<T>): Promise<T> {
    if (this.begin) return this.begin(fn)
    // Already inside a transaction on this connection: a savepoint gives the nested call its own rollback.
    const name = `deskmove_sp_${++this.depth}`
    await this.runner.run(`SAVEPOINT ${name}`, [])
    try {
      const result = await fn(this)
      await this.runner.run(`RELEASE SAVEPOINT ${name}`, [])
      return result
    } catch (e) {
      await this.runner.run(`ROLLBACK TO SAVEPOINT ${name}`, [])
      throw e
    } finally {
      this.depth--
    }
  }

  close(): Promise<void> {
    return this.end()
  }
}

export const noop = async (): Promise<void> => {}
