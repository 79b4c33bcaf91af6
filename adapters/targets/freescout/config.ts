// FreeScout target config: database URL, storage dir, and (optionally) APP_URL/APP_KEY for inline images.
import { z } from 'zod'
import type { ConfigSpec } from '../../../src/core/config-spec.js'
import { isTimeZone } from './site-time.js'

export const freescoutConfigSchema = z
  .object({
    /** `mysql://user:pass@host:3306/db` or `postgres://user:pass@host:5432/db`. */
    dbUrl: z.string().regex(/^(mysql|mariadb|postgres|postgresql):\/\//, 'must start with mysql://, mariadb:// or postgres://'),
    /** FreeScout's `storage/app` directory; attachments go under `attachment/`. */
    storageDir: z.string().min(1),
    /** FreeScout's APP_URL: with APP_KEY, inline images are rewritten to FreeScout attachment URLs. */
    appUrl: z.string().url().nullable().default(null),
    /** FreeScout's APP_KEY exactly as in .env (with the `base64:` prefix). Secret. */
    appKey: z.string().min(1).nullable().default(null),
    /** FreeScout's APP_TIMEZONE (IANA name): times are written and read as wall-clock times in it. */
    timezone: z.string().refine(isTimeZone, 'must be an IANA time zone name such as Europe/Berlin').nullable().default(null),
    /** The FreeScout user (email or id) who authors deskmove's import notes; default: the first active admin. */
    importUser: z.string().min(1).nullable().default(null),
    /** Path of FreeScout's `.env`: its APP_TIMEZONE is used when `timezone` is not set. Read only. */
    envFile: z.string().min(1).nullable().default(null),
  })
  .strict()
export type FreescoutConfig = z.infer<typeof freescoutConfigSchema>
/** What `createFreescoutTarget` accepts: the time zone settings may be left out (the site zone is then unknown). */
export type FreescoutTargetConfig = Omit<FreescoutConfig, 'timezone' | 'envFile' | 'importUser'> & Partial<Pick<FreescoutConfig, 'timezone' | 'envFile' | 'importUser'>>

/** Environment variables and secrets of the FreeScout target (the database URL may hold a password). */
export const freescoutConfigSpec: ConfigSpec<FreescoutConfig> = {
  schema: freescoutConfigSchema,
  env: {
    dbUrl: 'FREESCOUT_DB_URL',
    storageDir: 'FREESCOUT_STORAGE_DIR',
    appUrl: 'FREESCOUT_APP_URL',
    appKey: 'FREESCOUT_APP_KEY',
    timezone: 'FREESCOUT_TIMEZONE',
    envFile: 'FREESCOUT_ENV_FILE',
    importUser: 'FREESCOUT_IMPORT_USER',
  },
  sensitive: ['dbUrl', 'appKey'],
}
