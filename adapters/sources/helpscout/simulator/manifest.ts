import { attachmentBytes, sha256Hex } from './attachment-bytes.js'
import { TAG_SEEDS, TEAM_SEEDS, USER_SEEDS } from './catalog.js'
import { CONVERSATION_PAGE_SIZE, PAGE_SIZE } from './hal.js'
import { CUSTOMER_ID_BASE, ORGANIZATION_ID_BASE, primaryEmail } from './people.js'
import { cdnImagePath, conversationThreads, isStagedThread } from './threads.js'
import { cdnImageBytes, hasCdnImage, hasTrackingPixel } from './inline-images.js'
import type { SimManifest } from './types.js'
import type { World } from './world.js'
import { sparse } from './sparse.js'

/** Pages a client must read to see a whole collection: an empty collection still costs one call. */
function pagesToRead(total: number, size: number): number {
  return Math.max(1, Math.ceil(total / size))
}

/**
 * Ground truth of a complete `status=all` extract. Conversations are generated one at a time and
 * dropped, so memory holds the id lists and digests, never the conversations.
 */
export function computeManifest(world: World): SimManifest {
  const tickets: string[] = []
  const messages: string[] = []
  const attachmentIds: string[] = []
  const attachments: SimManifest['attachments'] = {}
  let truncatedChats = 0
  const inlineImages: SimManifest['inlineImages'] = {}
  let trackingPixels = 0
  for (let i = 0; i < world.conversationCount; i++) {
    const h = world.header(i)
    const c = world.customer(h.customerIndex)
    tickets.push(String(h.id))
    const threads = conversationThreads(world.seed, h, c.id, primaryEmail(c), world.conversationCount)
    let hasChat = false
    for (const t of threads) {
      if (!isStagedThread(t)) continue // drafts and scheduled replies were never sent
      messages.push(String(t.id))
      if (t.type === 'chat') hasChat = true
      if (hasCdnImage(t)) {
        const bytes = cdnImageBytes(world.seed, t.id)
        inlineImages[cdnImagePath(t.id)] = { messageId: String(t.id), sha256: sha256Hex(bytes), size: bytes.length }
      }
      if (hasTrackingPixel(t)) trackingPixels++
      for (const a of t.attachments) {
        attachmentIds.push(String(a.id))
        attachments[String(a.id)] = { sha256: sha256Hex(attachmentBytes(world.seed, a)), size: a.size }
      }
    }
    // Every chat thread body is longer than the cut, so each chat conversation needs its /threads call.
    if (hasChat) truncatedChats++
  }
  const agents = USER_SEEDS.map((u) => String(u.id))
  const customers = Array.from({ length: world.customerCount }, (_, j) => String(CUSTOMER_ID_BASE + j))
  const organizations = Array.from({ length: world.organizationCount }, (_, k) => String(ORGANIZATION_ID_BASE + k))
  const groups = world.mailboxes.map((m) => String(m.id))
  const detail: Record<string, number> = {
    token: 1,
    users: pagesToRead(agents.length, PAGE_SIZE),
    teams: pagesToRead(TEAM_SEEDS.length, PAGE_SIZE),
    tags: pagesToRead(TAG_SEEDS.length, PAGE_SIZE),
    mailboxes: pagesToRead(groups.length, PAGE_SIZE),
    mailboxFields: groups.length,
    customers: pagesToRead(customers.length, PAGE_SIZE),
    // A customer listed without `_embedded` costs one Get Customer (which embeds its details).
    customerDetails: customers.filter((id) => sparse(world.profile, 'customerWithoutEmbedded', world.seed, Number(id))).length,
    organizations: pagesToRead(organizations.length, PAGE_SIZE),
    conversations: pagesToRead(tickets.length, CONVERSATION_PAGE_SIZE),
    chatThreads: truncatedChats,
    attachments: attachmentIds.length,
  }
  return {
    counts: {
      agents: agents.length,
      customers: customers.length,
      organizations: organizations.length,
      groups: groups.length,
      tickets: tickets.length,
      messages: messages.length,
      attachments: attachmentIds.length,
    },
    ids: { agents, customers, organizations, groups, tickets, messages, attachments: attachmentIds },
    attachments,
    minimumRequests: Object.values(detail).reduce((a, b) => a + b, 0),
    minimumRequestsDetail: detail,
    inlineImages,
    trackingPixels,
    inlineImageRequests: Object.keys(inlineImages).length,
  }
}
