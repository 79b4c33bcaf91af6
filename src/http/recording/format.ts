// The on-disk layout of a recording (`deskmove extract <source> --record DIR`), documented in the README
// ("Record and replay"). Stable and diff-friendly: one pretty-printed JSON file per exchange, named from the
// request itself (never from the order concurrent requests happened to finish in), bodies that are not
// JSON as separate files beside them.
//
//   DIR/recording.json                      what was recorded: source, when, anonymized or not, config
//   DIR/exchanges/<slug>-<hash>[.<n>].json  request + response (JSON body inline)
//   DIR/bodies/<slug>-<hash>[.<n>].<ext>    a streamed body (attachment, image) as its bytes
import { createHash } from 'node:crypto'
import { z } from 'zod'

export const RECORDING_FORMAT = 'deskmove-recording'
export const RECORDING_VERSION = 1
export const META_FILE = 'recording.json'
export const EXCHANGES_DIR = 'exchanges'
export const BODIES_DIR = 'bodies'

export const recordingMetaSchema = z.object({
  format: z.literal(RECORDING_FORMAT),
  version: z.literal(RECORDING_VERSION),
  source: z.string(),
  /** The run's "now" when recording started: a replay hands it to the source, so time windows replay too. */
  recordedAt: z.string(),
  anonymized: z.boolean(),
  /** The source's non-secret settings by environment variable name; secrets are never written. */
  config: z.record(z.string()).default({}),
  /** The environment variables of the source's secrets: a replay fills them with placeholders. */
  secretEnv: z.array(z.string()).default([]),
  exchanges: z.number().int().nonnegative(),
})
export type RecordingMeta = z.infer<typeof recordingMetaSchema>

const headersSchema = z.record(z.string())

export const recordedRequestSchema = z.object({
  method: z.string(),
  /** Scheme, host and port: informative only, a replay matches on path, query and body. */
  origin: z.string(),
  path: z.string().startsWith('/'),
  query: z.record(z.union([z.string(), z.array(z.string())])).default({}),
  headers: headersSchema.default({}),
  body: z.string().optional(),
})
export type RecordedRequest = z.infer<typeof recordedRequestSchema>

export const exchangeFileSchema = z.object({
  /** `requestJson` or `requestStream`: how the adapter asked. */
  mode: z.enum(['json', 'stream']),
  request: recordedRequestSchema,
  response: z
    .object({
      status: z.number().int(),
      headers: headersSchema.default({}),
      /** JSON mode: the decoded body as the adapter received it (parsed JSON, or text for a non-JSON error page). */
      body: z.unknown().optional(),
      /** Stream mode: the bytes, relative to the recording folder. */
      bodyFile: z.string().optional(),
      bytes: z.number().int().nonnegative().optional(),
      sha256: z.string().optional(),
      /** false: the adapter stopped reading early (a redirect's body, an abort, a broken download); the file holds what was read. */
      complete: z.boolean().optional(),
    })
    .optional(),
  /** The request failed for good (retries exhausted, refused): a replay throws the same kind of error. */
  error: z.object({ name: z.string(), message: z.string(), status: z.number().nullable().optional() }).optional(),
})
export type ExchangeFile = z.infer<typeof exchangeFileSchema>

/** What a request is matched by: method, path, query (sorted) and a hash of the body. */
export function requestKey(r: Pick<RecordedRequest, 'method' | 'path' | 'query' | 'body'>): string {
  const query = Object.keys(r.query)
    .sort()
    .flatMap((k) => {
      const v = r.query[k]!
      return (Array.isArray(v) ? v : [v]).map((x) => `${encodeURIComponent(k)}=${encodeURIComponent(x)}`)
    })
    .join('&')
  const body = r.body === undefined || r.body === '' ? '' : ` #${sha256(r.body).slice(0, 16)}`
  return `${r.method.toUpperCase()} ${r.path}${query ? `?${query}` : ''}${body}`
}

/** `get-v2-conversations-10000006-threads-page-1-3fa2b1c0`: readable, unique, the same on every recording. */
export function exchangeName(key: string, occurrence: number): string {
  const slug = key
    .replace(/ #[0-9a-f]+$/, '')
    .toLowerCase()
    .replace(/%[0-9a-f]{2}/g, '-')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80)
    .replace(/-+$/, '')
  return `${slug}-${sha256(key).slice(0, 8)}${occurrence > 1 ? `.${occurrence}` : ''}`
}

/** The query of a URL as recorded: repeated keys become arrays. */
export function queryOf(url: URL): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {}
  for (const [k, v] of url.searchParams) {
    const had = out[k]
    out[k] = had === undefined ? v : Array.isArray(had) ? [...had, v] : [had, v]
  }
  return out
}

/** A body file's extension, from the response's content type (the bytes are kept as they came). */
export function extensionFor(contentType: string | undefined): string {
  const t = (contentType ?? '').split(';')[0]!.trim().toLowerCase()
  const known: Record<string, string> = {
    'image/png': 'png', 'image/jpeg': 'jpg', 'image/gif': 'gif', 'image/webp': 'webp', 'image/svg+xml': 'svg',
    'application/pdf': 'pdf', 'text/plain': 'txt', 'text/html': 'html', 'text/csv': 'csv', 'application/json': 'json',
    'application/zip': 'zip', 'message/rfc822': 'eml',
  }
  return known[t] ?? 'bin'
}

export function sha256(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex')
}
