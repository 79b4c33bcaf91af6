import { z } from 'zod'
import type { ConfigSpec } from '../../../src/core/config-spec.js'

/** Help Scout's public API root; `baseUrl` includes the `/v2` segment so a simulator can stand in. */
export const HELPSCOUT_DEFAULT_BASE_URL = 'https://api.helpscout.net/v2'

/** OAuth2 client-credentials app (Your Profile > My Apps) plus the API root. */
export const helpscoutConfigSchema = z.object({
  appId: z.string().min(1, 'HELPSCOUT_APP_ID is required'),
  appSecret: z.string().min(1, 'HELPSCOUT_APP_SECRET is required'),
  baseUrl: z
    .string()
    .url()
    .default(HELPSCOUT_DEFAULT_BASE_URL)
    // Endpoint paths are appended to it, so a trailing slash would double up.
    .transform((u) => u.replace(/\/+$/, '')),
  /**
   * More hosts whose body images are the account's own (downloaded as inline attachments), beside Help
   * Scout's CDN: an array, or comma-separated in `HELPSCOUT_INLINE_IMAGE_HOSTS`. Entries: `host[:port][/path/]`.
   */
  inlineImageHosts: z
    .union([z.array(z.string()), z.string()])
    .optional()
    .transform((v) => (typeof v === 'string' ? v.split(/[\s,]+/).filter(Boolean) : (v ?? []))),
})
export type HelpScoutConfig = z.infer<typeof helpscoutConfigSchema>

/** Env vars and secrets of the Help Scout config; `appSecret` is redacted everywhere. */
export const helpscoutConfigSpec: ConfigSpec<HelpScoutConfig> = {
  schema: helpscoutConfigSchema,
  env: {
    appId: 'HELPSCOUT_APP_ID',
    appSecret: 'HELPSCOUT_APP_SECRET',
    baseUrl: 'HELPSCOUT_BASE_URL',
    inlineImageHosts: 'HELPSCOUT_INLINE_IMAGE_HOSTS',
  },
  sensitive: ['appSecret'],
}
