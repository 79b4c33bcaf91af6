import { resolve } from 'node:path'
import type { SimulatorDefinition } from '../../../../src/core/simulator.js'

/**
 * `deskmove simulate freescout`: a one-shot setup, not a server. It builds the FreeScout stand-in
 * (schema, admin, mailboxes, folders) in an empty database and hands back the variables a target run needs.
 */
export const freescoutStandInSimulator: SimulatorDefinition = {
  name: 'freescout',
  description: 'create a FreeScout-1.8-compatible stand-in (schema, admin, mailboxes, folders) in an EMPTY database',
  options: [
    { key: 'dbUrl', flags: '--db-url <url>', description: 'mysql://… or postgres://… of an empty database', type: 'string', required: true },
    { key: 'storage', flags: '--storage <dir>', description: "directory to use as FreeScout's storage/app", type: 'string', required: true },
    { key: 'mailboxes', flags: '--mailboxes <n>', description: 'number of mailboxes', type: 'int', min: 1, default: 2 },
    { key: 'tagsModule', flags: '--no-tags-module', description: 'leave out the Tags module tables', type: 'boolean', default: true },
    { key: 'customFieldsModule', flags: '--no-custom-fields-module', description: 'leave out the Custom Fields module tables', type: 'boolean', default: true },
  ],
  async start(o, ctx) {
    const dbUrl = String(o.dbUrl)
    ctx.addSecret(new URL(dbUrl).password || null)
    const { createFreescoutStandIn } = await import('./create-stand-in.js')
    const result = await createFreescoutStandIn({
      dbUrl,
      storageDir: resolve(ctx.cwd, String(o.storage)),
      mailboxes: o.mailboxes as number | undefined,
      modules: { tags: o.tagsModule !== false, customFields: o.customFieldsModule !== false },
    })
    ctx.info(`FreeScout stand-in ready: admin ${result.admin.email}, mailboxes ${result.mailboxes.map((m) => `${m.id} ${m.email}`).join(', ')}`)
    return { env: result.env, serving: false, close: async () => {} }
  },
}
