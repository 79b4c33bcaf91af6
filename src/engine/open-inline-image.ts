// Downloads an inline image by its URL, over the run's paced client. The vendor's API credentials are never
// sent: the images live on public CDN URLs, and a token must not travel to another host.
import type { AttachmentBody } from '../core/source.js'
import type { HttpClient } from '../core/http.js'
import { RemoteRequestError } from '../core/errors.js'

/** Redirects followed (CDNs hop to a signed storage URL at most once or twice). */
const MAX_REDIRECTS = 3

/** An `openInlineImage` for `fetchBlobs` over `http`: throws `RemoteRequestError` for any non-2xx answer. */
export function inlineImageOpener(http: HttpClient): (url: string, signal: AbortSignal) => Promise<AttachmentBody> {
  return async (url, signal) => {
    let at = url
    for (let hop = 0; ; hop++) {
      const res = await http.requestStream({ method: 'GET', url: at, headers: { accept: 'image/*,*/*;q=0.5' }, route: 'inline-image', signal })
      const location = res.headers['location']
      if (res.status >= 300 && res.status < 400 && location && hop < MAX_REDIRECTS) {
        res.body.destroy()
        at = new URL(location, at).toString()
        continue
      }
      if (res.status < 200 || res.status >= 300) {
        res.body.destroy()
        throw new RemoteRequestError(res.status, at, `inline image ${url} could not be fetched (HTTP ${res.status})`)
      }
      const length = res.headers['content-length']
      const type = res.headers['content-type']?.split(';')[0]?.trim()
      return { body: res.body, size: length !== undefined && Number.isFinite(Number(length)) ? Number(length) : null, url: at, ...(type ? { contentType: type } : {}) }
    }
  }
}
