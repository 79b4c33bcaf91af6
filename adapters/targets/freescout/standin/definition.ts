import { resolve } from 'node:path'
import type { SimulatorDefinition } from '../../../../src/core/simulator.js'

/** Where the embedded database goes when no `--db-url` is given. */
export const DEFAULT_EMBEDDED_DIR = 'freescout-db'

/**
 * `deskmove simulate freescout`: builds the FreeScout stand-in (schema, admin, mailboxes, folders) and hands back the
 * variables a target run needs. With `--db-url` it is a one-shot setup in that (empty) database. Without it, the
 * stand-in lives in an embedded PostgreSQL (PGlite) in `--data-dir`, which this command then SERVES on 127.0.0.1
 * until Ctrl-C (or in the background with `--detach`): run again on the same folder, it serves the stand-in it
 * built before.
 */
export const freescoutStandInSimulator: SimulatorDefinition = {
  name: 'freescout',
  description: 'create a FreeScout-1.8-compatible stand-in (schema, admin, mailboxes, folders) in an EMPTY database, or in an embedded PostgreSQL in a folder and serve it',
  options: [
    { key: 'dbUrl', flags: '--db-url <url>', description: 'mysql://… or postgres://… of an empty database (default: an embedded PostgreSQL in --data-dir, served until Ctrl-C)', type: 'string' },
    { key: 'dataDir', flags: '--data-dir <dir>', description: 'folder of the embedded database, without --db-url (created, or reopened when it holds one)', type: 'string', default: DEFAULT_EMBEDDED_DIR },
    { key: 'storage', flags: '--storage <dir>', description: "directory to use as FreeScout's storage/app", type: 'string', required: true },
    { key: 'mailboxes', flags: '--mailboxes <n>', description: 'number of mailboxes', type: 'int', min: 1, default: 2 },
    { key: 'tagsModule', flags: '--no-tags-module', description: 'leave out the Tags module tables', type: 'boolean', default: true },
    { key: 'customFieldsModule', flags: '--no-custom-fields-module', description: 'leave out the Custom Fields module tables', type: 'boolean', default: true },
  ],
  async start(o, ctx) {
    const { createFreescoutStandIn } = await import('./create-stand-in.js')
    const storageDir = resolve(ctx.cwd, String(o.storage))
    const build = (dbUrl: string) =>
      createFreescoutStandIn({ dbUrl, storageDir, mailboxes: o.mailboxes as number | undefined, modules: { tags: o.tagsModule !== false, customFields: o.customFieldsModule !== false } })
    const ready = (r: Awaited<ReturnType<typeof build>>) =>
      ctx.info(`FreeScout stand-in ready: admin ${r.admin.email}, mailboxes ${r.mailboxes.map((m) => `${m.id} ${m.email}`).join(', ')}`)
    if (o.dbUrl !== undefined) {
      const dbUrl = String(o.dbUrl)
      ctx.addSecret(new URL(dbUrl).password || null)
      const result = await build(dbUrl)
      ready(result)
      return { env: result.env, serving: false, close: async () => {} }
    }
    const { startEmbeddedPostgres } = await import('../../../../src/kits/sql/embedded-pg.js')
    const embedded = await startEmbeddedPostgres({ dataDir: resolve(ctx.cwd, String(o.dataDir)), holder: 'deskmove simulate freescout' })
    try {
      if (embedded.created) ready(await build(embedded.url))
      else ctx.info(`FreeScout stand-in reopened from ${embedded.dataDir}`)
    } catch (e) {
      await embedded.stop()
      throw e
    }
    ctx.info(`embedded PostgreSQL (PGlite) in ${embedded.dataDir}, serving on 127.0.0.1:${embedded.port} until stopped: psql '${embedded.url}'`)
    return {
      url: embedded.url,
      // The stand-in has no .env of its own: its site zone is UTC, said so deskmove does not warn of an unknown zone.
      env: { FREESCOUT_DB_URL: embedded.url, FREESCOUT_STORAGE_DIR: storageDir, FREESCOUT_TIMEZONE: 'UTC' },
      serving: true,
      close: () => embedded.stop(),
    }
  },
}
