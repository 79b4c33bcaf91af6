// Znuny target config: the GenericTicketConnectorREST web service, an agent login, and optionally the database
// for what REST cannot do (reading queues/states, the SendmailModule setting, the database step).
import { z } from 'zod'
import type { ConfigSpec } from '../../../src/core/config-spec.js'
import { DEFAULT_PROVENANCE_FIELD } from './ids.js'

export const znunyConfigSchema = z
  .object({
    /** The web service base, e.g. `https://help.acme.test/otrs/nph-genericinterface.pl/Webservice/GenericTicketConnectorREST`. */
    url: z
      .string()
      .url()
      .refine((u) => /^https?:\/\//.test(u), 'must be an http(s) URL')
      .transform((u) => u.replace(/\/+$/, '')),
    /** The agent that imports (an admin or an agent with rw on the target queues). */
    user: z.string().min(1),
    /** The agent's password. Secret. */
    password: z.string().min(1),
    /** Znuny's database (`mysql://…` or `postgres://…`): optional; enables the checks and the database step. */
    dbUrl: z
      .string()
      .regex(/^(mysql|mariadb|postgres|postgresql):\/\//, 'must start with mysql://, mariadb:// or postgres://')
      .nullable()
      .default(null),
    /** The ticket dynamic field (type Text) that holds the source id of each imported ticket. */
    sourceIdField: z.string().regex(/^[A-Za-z0-9]+$/, 'a Znuny dynamic field name (letters and digits)').default(DEFAULT_PROVENANCE_FIELD),
    /**
     * Which request shape to use: `auto` detects on the first ticket with several articles whether TicketCreate
     * takes an article array (Znuny 7.1+); `7.1` / `7.0` force it (6.5 and OTRS 6 behave like 7.0).
     */
    version: z.enum(['auto', '7.1', '7.0']).default('auto'),
    /** Znuny's home (e.g. /opt/znuny) when deskmove runs on the Znuny host: the database step then clears the caches itself. */
    home: z.string().min(1).nullable().default(null),
  })
  .strict()
export type ZnunyConfig = z.infer<typeof znunyConfigSchema>
/** What `createZnunyTarget` accepts: the defaulted fields may be left out. */
export type ZnunyTargetConfig = Pick<ZnunyConfig, 'url' | 'user' | 'password'> & Partial<Omit<ZnunyConfig, 'url' | 'user' | 'password'>>

/** Environment variables and secrets of the Znuny target. */
export const znunyConfigSpec: ConfigSpec<ZnunyConfig> = {
  schema: znunyConfigSchema,
  env: {
    url: 'ZNUNY_URL',
    user: 'ZNUNY_USER',
    password: 'ZNUNY_PASSWORD',
    dbUrl: 'ZNUNY_DB_URL',
    sourceIdField: 'ZNUNY_SOURCE_ID_FIELD',
    version: 'ZNUNY_VERSION',
    home: 'ZNUNY_HOME',
  },
  sensitive: ['password', 'dbUrl'],
}
