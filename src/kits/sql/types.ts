// The vendor-neutral SQL handle every database target writes through (FreeScout today, Znuny next).

/** The two database engines the SQL kit speaks: MySQL/MariaDB (through mysql2) and PostgreSQL (through pg). */
export type SqlDialect = 'mysql' | 'postgres'

/** What a write reports, identically in both dialects. */
export interface SqlWriteResult {
  /** The (first) generated id of an INSERT, else null. */
  readonly insertId: number | null
  readonly affectedRows: number
}

/**
 * One small interface over a MySQL/MariaDB or PostgreSQL database, identical in both dialects.
 *
 * - Placeholders are `?` everywhere (rewritten to `$1..` for PostgreSQL); a `?` inside a quoted string is left alone.
 * - Identifiers may be double-quoted in both dialects (MySQL sessions run with `ANSI_QUOTES`), which matters for
 *   columns named like keywords (`"from"`, `"to"`).
 * - Sessions run in UTC. Params may be JS `Date`s (sent as UTC `'YYYY-MM-DD HH:MM:SS'`, sub-seconds dropped) or such
 *   strings; timestamps always come back as `'YYYY-MM-DD HH:MM:SS'` UTC strings.
 * - Numbers come back as JS numbers in both dialects (COUNT/SUM included) and PostgreSQL booleans as 0/1, like MySQL's
 *   `tinyint(1)`. PostgreSQL boolean *columns* accept 0/1 params but not integer literals or MAX/SUM: write
 *   `flag = ?`, and aggregate with `MAX(CASE WHEN flag THEN 1 ELSE 0 END)`.
 */
export interface SqlDb {
  readonly dialect: SqlDialect
  /** Where this handle points, for messages (never carries credentials). */
  readonly location: SqlLocation
  /** `?` placeholders in every dialect (translated to $1.. for pg). Returns the rows ([] for statements without rows). */
  query<T = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<T[]>
  /**
   * Runs a write. On PostgreSQL `RETURNING id` is appended to an `INSERT INTO <table>` that has no RETURNING clause
   * when `<table>` has an `id` column (looked up once per table in information_schema), so both dialects report
   * the id the same way.
   */
  execute(sql: string, params?: readonly unknown[]): Promise<SqlWriteResult>
  /** Runs fn in one transaction on one connection; rolls back on throw. Nested calls use savepoints. */
  transaction<T>(fn: (tx: SqlDb) => Promise<T>): Promise<T>
  /** Ends the pool. A no-op on a transaction handle (the outer handle owns the connection). */
  close(): Promise<void>
}

/** Host and database name of a connection (what an operator needs to recognise it). */
export interface SqlLocation {
  readonly host: string
  readonly database: string
}

/** How `connectSqlDb` words its errors for the target that uses it. */
export interface SqlConnectOptions {
  /** What the database is, for messages: "the FreeScout database". */
  readonly label: string
  /** What to check when the connection fails: "check FREESCOUT_DB_URL (…)". */
  readonly hint: string
  /** Extra words for the unsupported-scheme error: which URL schemes this target accepts. */
  readonly schemeHint?: string
}
