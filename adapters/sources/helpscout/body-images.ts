// PURE: the remote images a message body shows. Help Scout bodies reference inline images by URL on its
// CDN (not `cid:` parts); the list lets a later step download the vendor's own images and count the rest.

const IMG_SRC = /<img\b[^>]*?\bsrc\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))/gi

const decodeEntities = (s: string): string => s.replace(/&amp;/g, '&').replace(/&quot;/g, '"').replace(/&#39;/g, "'")

/** `src` of each `<img>` whose URL is http(s), in body order, without duplicates. */
export function remoteImageUrls(html: string | null): string[] {
  if (!html || !/<img/i.test(html)) return []
  const out: string[] = []
  for (const m of html.matchAll(IMG_SRC)) {
    const src = decodeEntities((m[1] ?? m[2] ?? m[3] ?? '').trim())
    if (/^https?:\/\//i.test(src) && !out.includes(src)) out.push(src)
  }
  return out
}
