// The simulated Help Scout CDN and a third-party tracker: the images bodies reference by URL. Served without
// a token (public URLs, as the real CDN's are), as valid image bytes, so a run can store them and tests can
// check their sha256 against the manifest.
import { generatedFileBytes } from '../../../../src/kits/simulator/attachment-bytes.js'
import { THREAD_ID_BASE, THREAD_SLOTS } from './headers.js'
import { SIM_CDN_PATH, TRACKING_PIXEL_PATH, cdnImagePath, type ThreadSeed } from './threads.js'
import type { SimResponse } from './types.js'
import type { World } from './world.js'

/** Ids of CDN images in the generator's file space (apart from attachment ids). */
const CDN_IMAGE_ID_OFFSET = 7_000_000_000

/** The PNG pasted into thread `threadId` (deterministic by seed and thread id). */
export function cdnImageBytes(seed: number, threadId: number): Buffer {
  return generatedFileBytes(seed, { id: CDN_IMAGE_ID_OFFSET + threadId, size: 1200 + (threadId % 2800), mimeType: 'image/png', width: 64, height: 48 })
}

/** A 1×1 transparent GIF, as open trackers serve. */
const PIXEL_GIF = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64')

/** Whether a generated thread's body shows the CDN image of `threadId`. */
export function hasCdnImage(t: ThreadSeed): boolean {
  return t.body !== null && t.body.includes(cdnImagePath(t.id))
}

/** Whether a generated thread's body carries the tracking pixel. */
export function hasTrackingPixel(t: ThreadSeed): boolean {
  return t.body !== null && t.body.includes(`${TRACKING_PIXEL_PATH}/`)
}

const CDN_ROUTE = new RegExp(`^${SIM_CDN_PATH}/inline-images/(\\d+)/pasted-1\\.png$`)
const PIXEL_ROUTE = new RegExp(`^${TRACKING_PIXEL_PATH}/o/\\d+\\.gif$`)

/** Route key (for stats) of a public image path, or null when the path is not one. */
export function publicRouteKey(method: string, pathname: string): string | null {
  if (method !== 'GET') return null
  if (CDN_ROUTE.test(pathname)) return `GET ${SIM_CDN_PATH}/inline-images/{id}/pasted-1.png`
  if (PIXEL_ROUTE.test(pathname)) return `GET ${TRACKING_PIXEL_PATH}/o/{id}.gif`
  return null
}

/** Answers a public image path, or null when the path is not one (the API's auth and routes apply). */
export function handlePublicImage(world: World, method: string, pathname: string): SimResponse | null {
  if (publicRouteKey(method, pathname) === null) return null
  if (PIXEL_ROUTE.test(pathname)) return { status: 200, headers: { 'content-type': 'image/gif', 'cache-control': 'no-store' }, body: PIXEL_GIF }
  const id = Number(CDN_ROUTE.exec(pathname)![1])
  const index = Math.floor((id - THREAD_ID_BASE) / THREAD_SLOTS)
  const thread = index >= 0 && index < world.conversationCount ? world.threads(index).find((t) => t.id === id) : undefined
  if (!thread || !hasCdnImage(thread)) return { status: 404, headers: { 'content-type': 'text/plain' }, body: Buffer.from('Not Found') }
  return { status: 200, headers: { 'content-type': 'image/png', 'cache-control': 'public, max-age=31536000' }, body: cdnImageBytes(world.seed, id) }
}
