/**
 * Numbered schema migrations, applied in order inside one transaction each. Never edit a released one:
 * add the next number. The store refuses a database whose version is newer than the last entry here.
 */
export interface Migration {
  readonly version: number
  readonly name: string
  readonly sql: string
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'initial',
    sql: `
      CREATE TABLE run (
        id           TEXT PRIMARY KEY,
        command      TEXT NOT NULL,
        source       TEXT,
        target       TEXT,
        args         TEXT NOT NULL DEFAULT '{}',
        started_at   TEXT NOT NULL,
        finished_at  TEXT,
        status       TEXT NOT NULL DEFAULT 'running',
        summary      TEXT
      );

      -- One row per canonical record; raw vendor JSON kept beside it, losslessly.
      -- A rowid table: rows carry whole payloads, too large for WITHOUT ROWID's clustered leaves.
      CREATE TABLE staged_record (
        id            INTEGER PRIMARY KEY,
        source        TEXT NOT NULL,
        kind          TEXT NOT NULL,
        source_id     TEXT NOT NULL,
        stream        TEXT NOT NULL,
        parent_id     TEXT,
        canonical     TEXT NOT NULL,
        raw           TEXT NOT NULL,
        content_hash  TEXT NOT NULL,
        source_updated_at TEXT,
        first_run_id  TEXT NOT NULL,
        last_run_id   TEXT NOT NULL,
        staged_at     TEXT NOT NULL,
        UNIQUE (source, kind, source_id)
      );
      CREATE INDEX staged_record_parent ON staged_record (source, kind, parent_id);

      -- Per-stream resume point, written in the same transaction as the page it covers.
      CREATE TABLE checkpoint (
        source      TEXT NOT NULL,
        stream      TEXT NOT NULL,
        mode        TEXT NOT NULL DEFAULT 'full',
        state       TEXT,
        done        INTEGER NOT NULL DEFAULT 0,
        pages       INTEGER NOT NULL DEFAULT 0,
        records     INTEGER NOT NULL DEFAULT 0,
        signpost    TEXT,
        run_id      TEXT NOT NULL,
        updated_at  TEXT NOT NULL,
        PRIMARY KEY (source, stream, mode)
      );

      -- Attachment bytes: where each attachment's blob stands.
      CREATE TABLE blob_fetch (
        source      TEXT NOT NULL,
        source_id   TEXT NOT NULL,
        status      TEXT NOT NULL,
        sha256      TEXT,
        size        INTEGER,
        attempts    INTEGER NOT NULL DEFAULT 0,
        error       TEXT,
        run_id      TEXT,
        updated_at  TEXT NOT NULL,
        PRIMARY KEY (source, source_id)
      );
      CREATE INDEX blob_fetch_status ON blob_fetch (source, status);

      -- What could not be read, fetched, planned or written, with why. Never silently dropped.
      CREATE TABLE reject (
        id          INTEGER PRIMARY KEY AUTOINCREMENT,
        run_id      TEXT NOT NULL,
        phase       TEXT NOT NULL,
        source      TEXT NOT NULL,
        target      TEXT,
        stream      TEXT,
        kind        TEXT NOT NULL,
        source_id   TEXT NOT NULL,
        reason      TEXT NOT NULL,
        detail      TEXT NOT NULL,
        raw         TEXT,
        created_at  TEXT NOT NULL,
        resolved_at TEXT,
        resolved_by_run TEXT
      );
      CREATE INDEX reject_open ON reject (phase, source, kind, source_id) WHERE resolved_at IS NULL;

      -- Source record -> target object, the basis of idempotency and resume.
      CREATE TABLE id_map (
        source        TEXT NOT NULL,
        kind          TEXT NOT NULL,
        source_id     TEXT NOT NULL,
        target        TEXT NOT NULL,
        target_ref    TEXT,
        state         TEXT NOT NULL,
        content_hash  TEXT,
        op            TEXT,
        run_id        TEXT NOT NULL,
        updated_at    TEXT NOT NULL,
        PRIMARY KEY (source, kind, source_id, target)
      );
      CREATE INDEX id_map_run ON id_map (target, run_id);
    `,
  },
  {
    version: 2,
    name: 'record warnings',
    sql: `
      -- What was odd about a staged record (a field the vendor left out, a size that disagrees with the bytes):
      -- the record is staged all the same; status counts these. Extract replaces a record's extract-phase
      -- warnings each time it is re-read; blob-phase ones belong to the fetched bytes.
      CREATE TABLE record_warning (
        id          INTEGER PRIMARY KEY,
        source      TEXT NOT NULL,
        kind        TEXT NOT NULL,
        source_id   TEXT NOT NULL,
        phase       TEXT NOT NULL,
        code        TEXT NOT NULL,
        detail      TEXT NOT NULL,
        run_id      TEXT NOT NULL,
        created_at  TEXT NOT NULL
      );
      CREATE INDEX record_warning_record ON record_warning (source, kind, source_id, phase);

      -- The size the vendor declared when the stored bytes were fetched: bytes that disagree with the
      -- declaration are kept (and warned about) once, not fetched again on every re-read.
      ALTER TABLE blob_fetch ADD COLUMN declared_size INTEGER;
    `,
  },
  {
    // Operator-UX migration: one writer at a time (src/staging/lock.ts). A row, not a lock file, so taking
    // over the lock of a dead process is one SQLite transaction that two newcomers cannot both win.
    version: 3,
    name: 'writer-lock',
    sql: `
      CREATE TABLE writer_lock (
        id          INTEGER PRIMARY KEY CHECK (id = 1),
        pid         INTEGER NOT NULL,
        host        TEXT NOT NULL,
        started     TEXT,
        command     TEXT NOT NULL,
        since       TEXT NOT NULL,
        token       TEXT NOT NULL
      );
    `,
  },
]

export const LATEST_SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version
