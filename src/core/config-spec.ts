import type { z } from 'zod'

/**
 * How an adapter's config is described: the zod schema validates, `env` names the environment variable of
 * each field, `sensitive` lists fields whose values are redacted everywhere (logs, errors, --json, fixtures).
 * Values come from the environment first, then from the config file's section for the adapter.
 */
export interface ConfigSpec<C> {
  readonly schema: z.ZodType<C, z.ZodTypeDef, unknown>
  readonly env: Readonly<Record<string, string>>
  readonly sensitive: readonly string[]
}
