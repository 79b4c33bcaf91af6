import { Rng, unit } from '../../../../src/kits/simulator/rng.js'
import { COMMENT_SLOTS, GHOST_AGENT_ID, THUMB_OFFSET, attachmentId, commentId } from './ids.js'
import { SALT, type UserSeed } from './people.js'
import type { Channel, TicketDetail, TicketHeader } from './tickets.js'

/** The comments of a ticket, with their files and inline images: a pure function of (seed, ticket). */

export interface FileSeed {
  id: number
  name: string
  /** What Zendesk reports: guessed from the extension, sometimes wrongly (`README.md` → a ROM type). */
  contentType: string
  /** What the bytes are (the generator shapes them by it). */
  trueType: string
  size: number
  width: number | null
  height: number | null
  inline: boolean
  /** Images have one thumbnail, itself a full attachment object with its own id; never a separate file. */
  thumbnail: { id: number; size: number; width: number; height: number } | null
}

export interface CommentSeed {
  id: number
  slot: number
  kind: 'Comment' | 'VoiceComment'
  /** Author user id: a real user, the former (ghost) agent, or the requester. */
  authorId: number
  public: boolean
  createdAt: number
  /** Plain text of the comment (voice comments have none on the wire). */
  text: string
  /** Extra HTML appended to the body: emoji `<img>`s on the static host. */
  emoji: string | null
  channel: Channel
  /** Merge note (`via.source.rel: "merge"`) and the ticket on the other side. */
  merge: { otherId: number; role: 'source' | 'target' } | null
  files: FileSeed[]
  /** Images pasted into the body: `<img src=content_url>` in `html_body`, listed only with include_inline_images. */
  inlineImages: FileSeed[]
  voice: { callId: number; durationSeconds: number; from: string; to: string } | null
}

const FILE_KINDS: readonly { name: string; contentType: string; trueType: string; image?: boolean; min: number; max: number }[] = [
  { name: 'screenshot.png', contentType: 'image/png', trueType: 'image/png', image: true, min: 2_000, max: 180_000 },
  { name: 'photo.jpeg', contentType: 'image/jpeg', trueType: 'image/jpeg', image: true, min: 5_000, max: 160_000 },
  { name: 'invoice.pdf', contentType: 'application/pdf', trueType: 'application/pdf', min: 3_000, max: 120_000 },
  { name: 'Rechnung März 2021.pdf', contentType: 'application/pdf', trueType: 'application/pdf', min: 3_000, max: 60_000 },
  { name: 'server.log', contentType: 'text/plain', trueType: 'text/plain', min: 200, max: 40_000 },
  { name: 'README.md', contentType: 'application/x-genesis-rom', trueType: 'text/markdown', min: 300, max: 16_000 },
  { name: 'export.csv', contentType: 'text/csv', trueType: 'text/csv', min: 200, max: 30_000 },
  { name: 'logs.zip', contentType: 'application/zip', trueType: 'application/zip', min: 1_000, max: 90_000 },
]

const LINES = [
  'The device shows error E-42 after the last update.',
  'Ich habe die Rechnung nicht erhalten – könnt ihr sie erneut senden?',
  'Thanks, that fixed it! 🎉',
  'We shipped a replacement; tracking number follows.',
  "Could you send us a screenshot of the settings page? It's under Preferences > Sync.",
  'Le colis est arrivé endommagé.',
  'Internal: customer is on the legacy plan, check with billing first.',
  'Escalating to second level <script>alert(1)</script> — please review the logs.',
]
const EMOJI = ['microphone', 'smile', 'thumbsup', 'heart']

function fileSeed(r: Rng, id: number, kindIndex?: number): FileSeed {
  const kind = FILE_KINDS[kindIndex ?? r.int(FILE_KINDS.length)]!
  // One file in 40 is empty, a few are large; the rest are ordinary sizes.
  const roll = r.next()
  const size = roll < 0.025 ? 0 : roll > 0.99 ? r.range(1_500_000, 3_000_000) : r.range(kind.min, kind.max)
  const width = kind.image ? r.range(120, 1920) : null
  const height = kind.image ? r.range(90, 1200) : null
  return {
    id,
    name: kind.name,
    contentType: kind.contentType,
    trueType: kind.trueType,
    size,
    width,
    height,
    inline: false,
    thumbnail: kind.image && size > 0 ? { id: id + THUMB_OFFSET, size: 1_000 + (id % 3_000), width: 80, height: 60 } : null,
  }
}

export function ticketComments(seed: number, h: TicketHeader, d: TicketDetail, requester: UserSeed, agentIds: readonly number[]): CommentSeed[] {
  const r = new Rng(seed, h.index, SALT.comments)
  const agentId = (): number => (d.assigneeIndex !== null ? agentIds[d.assigneeIndex]! : agentIds[r.int(agentIds.length)]!)
  const out: CommentSeed[] = []
  const social = d.channel === 'twitter' || d.channel === 'facebook'
  for (let j = 0; j < h.commentOffsets.length; j++) {
    const first = j === 0
    const fromRequester = first ? d.channel !== 'api' || r.chance(0.5) : r.chance(0.45)
    // Old comments by the former agent, whose user record is gone.
    const ghost = !fromRequester && unit(seed, h.index, j, SALT.comments) < 0.03
    const authorId = fromRequester ? requester.id : ghost ? GHOST_AGENT_ID : agentId()
    const isPublic = fromRequester ? !r.chance(0.03) : first || !r.chance(0.3)
    const voice = first && d.channel === 'voice'
    const files: FileSeed[] = []
    if (!voice && r.chance(0.22)) {
      for (let k = 0, n = r.range(1, 3); k < n; k++) files.push(fileSeed(r, attachmentId(h.index, j, k)))
    }
    const inlineImages: FileSeed[] = []
    if (!voice && !social && !fromRequester && r.chance(0.12)) {
      inlineImages.push({ ...fileSeed(r, attachmentId(h.index, j, 3), 0), name: 'image.png', inline: true, thumbnail: null })
    }
    const text = voice ? `Inbound call from ${requester.phone ?? '+49 30 555 0100'}` : `${r.pick(LINES)}${r.chance(0.4) ? `\n\n${r.pick(LINES)}` : ''}`
    out.push({
      id: commentId(h.index, j),
      slot: j,
      kind: voice ? 'VoiceComment' : 'Comment',
      authorId,
      public: voice ? false : isPublic,
      createdAt: h.createdAt + h.commentOffsets[j]!,
      text,
      emoji: social && fromRequester && r.chance(0.35) ? r.pick(EMOJI) : null,
      channel: first || fromRequester ? d.channel : 'web',
      merge: null,
      files,
      inlineImages,
      voice: voice ? { callId: 16_444_799_000_000 + h.index, durationSeconds: r.range(20, 900), from: requester.phone ?? '+49 30 555 0100', to: '+49 30 555 0199' } : null,
    })
  }
  if (h.mergeAt !== null) {
    const other = h.mergedInto ?? h.absorbed!
    out.push({
      id: commentId(h.index, h.commentOffsets.length),
      slot: h.commentOffsets.length,
      kind: 'Comment',
      authorId: agentIds[0]!,
      public: false,
      createdAt: h.mergeAt,
      text: h.mergedInto !== null ? `This request was closed and merged into request #${other}.` : `Request #${other} was closed and merged into this request.`,
      emoji: null,
      channel: 'web',
      merge: { otherId: other, role: h.mergedInto !== null ? 'source' : 'target' },
      files: [],
      inlineImages: [],
      voice: null,
    })
  }
  return out
}

/** A reply from the requester added after generation (`ZdWorld.touch`), in the ticket's next comment slot. */
export function replyComment(existing: readonly CommentSeed[], at: number, requesterId: number, channel: Channel): CommentSeed {
  const last = existing.at(-1)!
  const slot = last.slot + 1
  const ticketIndex = (last.id - commentId(0, 0) - last.slot) / COMMENT_SLOTS
  return {
    id: commentId(ticketIndex, slot), slot, kind: 'Comment', authorId: requesterId, public: true, createdAt: at,
    text: `Any news on this? (follow-up ${slot})`, emoji: null, channel, merge: null, files: [], inlineImages: [], voice: null,
  }
}
