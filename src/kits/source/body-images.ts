// PURE: finding and rewriting the remote images of an HTML body. Sources list them on their messages; the
// extract path makes the vendor's own inline images local (src/engine/inline-images.ts). No I/O here.

const IMG_SRC = /(<img\b[^>]*?\bsrc\s*=\s*)(?:"([^"]*)"|'([^']*)'|([^\s>"']+))/gi

/** The few entities a URL in an attribute carries (`&amp;` above all). */
const decodeAttr = (s: string): string =>
  s.replace(/&amp;/gi, '&').replace(/&quot;/gi, '"').replace(/&#0*39;/g, "'").replace(/&#x0*27;/gi, "'")

const isRemote = (url: string): boolean => /^https?:\/\//i.test(url)

/** `src` of each `<img>` whose URL is http(s), decoded, in body order, without duplicates. */
export function remoteImageSources(html: string | null): string[] {
  if (!html || !/<img/i.test(html)) return []
  const out: string[] = []
  for (const m of html.matchAll(IMG_SRC)) {
    const src = decodeAttr((m[2] ?? m[3] ?? m[4] ?? '').trim())
    if (isRemote(src) && !out.includes(src)) out.push(src)
  }
  return out
}

/**
 * The body with every `<img src>` whose (decoded) URL is a key of `cids` pointed at `cid:<content id>`; every
 * other byte is kept as it was. The content ids are ours (`[A-Za-z0-9.@-]`), so they need no escaping.
 */
export function rewriteImageSources(html: string, cids: ReadonlyMap<string, string>): string {
  if (cids.size === 0) return html
  return html.replace(IMG_SRC, (whole, head: string, dq?: string, sq?: string, bare?: string) => {
    const cid = cids.get(decodeAttr((dq ?? sq ?? bare ?? '').trim()))
    return cid === undefined ? whole : `${head}"cid:${cid}"`
  })
}

/**
 * Whether `url` is on one of `hosts`. An entry is a host name (`cdn.example.com`, which also covers its
 * sub-domains), optionally with a port (`127.0.0.1:8080`) and a path prefix (`127.0.0.1:8080/cdn/`).
 * Host names compare case-insensitively; a path prefix exactly.
 */
export function isOnHosts(url: string, hosts: readonly string[]): boolean {
  let u: URL
  try {
    u = new URL(url)
  } catch {
    return false
  }
  const host = u.hostname.toLowerCase()
  for (const raw of hosts) {
    const entry = raw.trim().replace(/^https?:\/\//i, '')
    if (!entry) continue
    const slash = entry.indexOf('/')
    const hostPart = (slash < 0 ? entry : entry.slice(0, slash)).toLowerCase()
    const pathPrefix = slash < 0 ? '' : entry.slice(slash)
    const [name, port] = hostPart.split(':') as [string, string | undefined]
    if (!name) continue
    if (host !== name && !host.endsWith(`.${name.replace(/^\*?\./, '')}`)) continue
    if (port !== undefined && u.port !== port) continue
    if (pathPrefix && !u.pathname.startsWith(pathPrefix)) continue
    return true
  }
  return false
}

/** A file name for an image from its URL's last path segment (`image` when there is none). */
export function imageFileName(url: string): string {
  try {
    const last = new URL(url).pathname.split('/').filter(Boolean).pop()
    return last ? decodeURIComponent(last) : 'image'
  } catch {
    return 'image'
  }
}

const TYPES: Readonly<Record<string, string>> = { png: 'image/png', jpg: 'image/jpeg', jpeg: 'image/jpeg', gif: 'image/gif', webp: 'image/webp', svg: 'image/svg+xml', bmp: 'image/bmp' }

/** The image's content type from its file extension (the response's type replaces it once fetched). */
export function imageContentType(fileName: string): string {
  return TYPES[/\.([a-z0-9]+)$/i.exec(fileName)?.[1]?.toLowerCase() ?? ''] ?? 'application/octet-stream'
}
