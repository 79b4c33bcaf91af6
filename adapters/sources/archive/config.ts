import { z } from 'zod'
import type { ConfigSpec } from '../../../src/core/config-spec.js'

/** Where the archive is (`deskmove extract archive --from DIR` sets `dir`), and which source to read from it. */
export const archiveConfigSchema = z.object({
  dir: z.string().min(1, 'the archive folder is required: `deskmove extract archive --from DIR` (or DESKMOVE_ARCHIVE_DIR)'),
  /** Only needed when the archive holds several sources: the one to stage. */
  source: z.string().min(1).optional(),
})
export type ArchiveConfig = z.infer<typeof archiveConfigSchema>

/** No secrets: an archive is local files. */
export const archiveConfigSpec: ConfigSpec<ArchiveConfig> = {
  schema: archiveConfigSchema,
  env: { dir: 'DESKMOVE_ARCHIVE_DIR', source: 'DESKMOVE_ARCHIVE_SOURCE' },
  sensitive: [],
}
