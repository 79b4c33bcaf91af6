// The demo's folder: created fresh, refused when it holds someone else's files, and replaced when an earlier
// `deskmove demo` made it (only the entries the demo writes are removed).
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { UsageError } from '../../core/errors.js'
import { embeddedHolder } from '../../kits/sql/embedded-pg.js'

/** The file that marks a folder as a demo's. */
export const DEMO_MARKER = '.deskmove-demo'
/** The FreeScout stand-in's embedded database and its storage/app, beside one folder per source. */
export const STAND_IN_DB = 'freescout-db'
export const STAND_IN_STORAGE = 'freescout-storage'

/** What one source's run leaves in the demo folder (paths absolute). */
export interface SourcePaths {
  readonly dir: string
  readonly staging: string
  readonly config: string
  readonly plan: string
  readonly report: string
  readonly combined: string
  readonly archive: string
}

export function sourcePaths(dir: string, sourceId: string): SourcePaths {
  const d = join(dir, sourceId)
  return {
    dir: d,
    staging: join(d, 'deskmove.db'),
    config: join(d, 'deskmove.json'),
    plan: join(d, 'plan.json'),
    report: join(d, 'plan-report.html'),
    combined: join(d, 'verify.txt'),
    archive: join(d, 'archive'),
  }
}

/**
 * Makes `dir` ready for a fresh demo. A missing or empty folder is used as it is; a folder an earlier demo made
 * (it has the marker) has the demo's own entries removed; anything else is refused before anything is touched.
 */
export function prepareDemoFolder(dir: string, sourceIds: readonly string[], now: Date): { reused: boolean } {
  let reused = false
  if (existsSync(dir)) {
    const entries = readdirSync(dir)
    if (entries.length > 0 && !entries.includes(DEMO_MARKER)) {
      throw new UsageError(`${dir} is not empty and was not made by \`deskmove demo\` (${entries.slice(0, 3).join(', ')}${entries.length > 3 ? ', …' : ''})`, {
        hint: 'pass --dir with a new or empty folder',
      })
    }
    if (entries.length > 0) {
      const holder = embeddedHolder(join(dir, STAND_IN_DB))
      if (holder) {
        throw new UsageError(`the demo in ${dir} is still being served by pid ${holder.pid} (\`${holder.holder}\`)`, {
          hint: `stop it first (kill ${holder.pid}), or pass --dir with a new folder`,
        })
      }
      for (const name of [STAND_IN_DB, STAND_IN_STORAGE, ...sourceIds]) rmSync(join(dir, name), { recursive: true, force: true })
      reused = true
    }
  }
  mkdirSync(dir, { recursive: true })
  writeFileSync(join(dir, DEMO_MARKER), JSON.stringify({ madeBy: 'deskmove demo', at: now.toISOString() }) + '\n')
  for (const id of sourceIds) mkdirSync(join(dir, id), { recursive: true })
  return { reused }
}
