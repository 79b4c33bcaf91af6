// PURE: the vendor's inline images made local, for every source. A body that shows an image by its URL on
// the vendor's CDN breaks the day the account closes, so each such image becomes an attachment of its
// message (inline, with a content id) whose bytes the blob fetch downloads like any other attachment, and
// the message's canonical body references it by `cid:`, which targets already store locally.
//
// Where the rewrite happens: here, on the canonical record before the page is committed. The vendor payload
// (raw) is kept untouched, so nothing is lost; the rewrite is a pure function of the body and the host list,
// so a re-read stages the same body and the same attachment ids (no duplicates, `unchanged` on a re-run).
// The original URL stays in the attachment's `download` ref and in `message.inlineImageUrls`.
import { createHash } from 'node:crypto'
import type { RecordWarning, SourcePage, StagedRecord } from '../core/source.js'
import type { Message } from '../core/model/message.js'
import type { Attachment, AttachmentRef } from '../core/model/attachment.js'
import { imageContentType, imageFileName, isOnHosts, remoteImageSources, rewriteImageSources } from '../kits/source/body-images.js'

/** Key of an inline image's `download` ref: the engine, not the source, fetches these by URL. */
export const INLINE_IMAGE_REF_KEY = 'inlineImageUrl'

/** The URL of an engine-fetched inline image, or null for a source's own attachment ref. */
export function inlineImageUrlOf(ref: AttachmentRef): string | null {
  const url = ref[INLINE_IMAGE_REF_KEY]
  return typeof url === 'string' ? url : null
}

const hashOf = (messageId: string, url: string): string => createHash('sha256').update(`${messageId}\n${url}`).digest('hex').slice(0, 20)

/** The attachment id of an inline image: derived from its message and URL, so re-reads never duplicate it. */
export function inlineImageId(messageSourceId: string, url: string): string {
  return `inline-${messageSourceId}-${hashOf(messageSourceId, url)}`
}

/** The content id the rewritten body references (`cid:…`): only characters a `cid:` reader takes as-is. */
export function inlineImageContentId(messageSourceId: string, url: string): string {
  return `img-${hashOf(messageSourceId, url)}@inline.deskmove`
}

export interface InlineImageCounts {
  /** Images on the vendor's hosts, staged as inline attachments. */
  vendor: number
  /** Remote images elsewhere (tracking pixels, hot-linked pictures): left as links, warned on the message. */
  external: number
}

/** One message with its vendor images made local: the rewritten record and the new attachment records. */
export function localiseMessageImages(rec: StagedRecord & { canonical: Message }, hosts: readonly string[]): { records: StagedRecord[]; counts: InlineImageCounts } {
  const m = rec.canonical
  const urls = remoteImageSources(m.bodyHtml)
  if (urls.length === 0) return { records: [rec], counts: { vendor: 0, external: 0 } }
  const vendor = urls.filter((u) => isOnHosts(u, hosts))
  const external = urls.filter((u) => !vendor.includes(u))
  const cids = new Map(vendor.map((u) => [u, inlineImageContentId(m.sourceId, u)]))
  const attachments: StagedRecord[] = vendor.map((url) => {
    const fileName = imageFileName(url)
    const att: Attachment = {
      kind: 'attachment',
      source: m.source,
      sourceId: inlineImageId(m.sourceId, url),
      sourceUpdatedAt: null,
      sourceUrl: null,
      ticketRef: m.ticketRef,
      messageRef: { kind: 'message', sourceId: m.sourceId },
      fileName,
      contentType: imageContentType(fileName),
      size: null,
      sha256: null,
      inline: true,
      contentId: cids.get(url)!,
      download: { [INLINE_IMAGE_REF_KEY]: url },
    }
    // Its vendor payload is the message's body reference; the message's own raw stays as read.
    return { canonical: att, raw: { inlineImageOf: m.sourceId, url } }
  })
  const warnings: RecordWarning[] = [...(rec.warnings ?? [])]
  if (external.length > 0) {
    const hostsSeen = [...new Set(external.map((u) => hostOf(u)))].join(', ')
    warnings.push({ code: 'external-image', detail: `${external.length} remote image${external.length > 1 ? 's' : ''} not on the vendor's hosts left as link${external.length > 1 ? 's' : ''} (${hostsSeen})` })
  }
  const message: Message = {
    ...m,
    bodyHtml: m.bodyHtml === null ? null : rewriteImageSources(m.bodyHtml, cids),
    inlineImageUrls: m.inlineImageUrls ?? urls,
  }
  const out: StagedRecord = { canonical: message, raw: rec.raw, ...(warnings.length > 0 ? { warnings } : {}) }
  return { records: [out, ...attachments], counts: { vendor: vendor.length, external: external.length } }
}

function hostOf(url: string): string {
  try {
    return new URL(url).host
  } catch {
    return 'invalid URL'
  }
}

/**
 * The page with every message's vendor images made local (`localiseMessageImages`), and the counts. A page
 * without remote images is returned as it is. A source that already stages an image (same id) is not doubled:
 * the engine's ids are namespaced `inline-…`.
 */
export function withInlineImages(page: SourcePage, hosts: readonly string[]): { page: SourcePage; counts: InlineImageCounts } {
  const counts: InlineImageCounts = { vendor: 0, external: 0 }
  let changed = false
  const records: StagedRecord[] = []
  for (const r of page.records) {
    if (r.canonical.kind !== 'message' || !r.canonical.bodyHtml || !/<img/i.test(r.canonical.bodyHtml)) {
      records.push(r)
      continue
    }
    const done = localiseMessageImages(r as StagedRecord & { canonical: Message }, hosts)
    counts.vendor += done.counts.vendor
    counts.external += done.counts.external
    if (done.records.length > 1 || done.records[0] !== r) changed = true
    records.push(...done.records)
  }
  return { page: changed ? { ...page, records } : page, counts }
}

/**
 * The hosts whose images are the vendor's: the source definition's list plus the user's `inlineImageHosts`
 * (an array, or one comma/space-separated string as an env var gives it), from the resolved source config.
 */
export function inlineImageHostsOf(definition: { readonly inlineImages?: { readonly hosts: readonly string[] } }, config: unknown): string[] {
  const own = definition.inlineImages?.hosts ?? []
  const extra = config && typeof config === 'object' ? (config as { inlineImageHosts?: unknown }).inlineImageHosts : undefined
  const user = typeof extra === 'string' ? extra.split(/[\s,]+/) : Array.isArray(extra) ? extra.filter((h): h is string => typeof h === 'string') : []
  return [...new Set([...own, ...user].map((h) => h.trim()).filter(Boolean))]
}
