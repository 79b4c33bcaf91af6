import { Rng } from '../../../../src/kits/simulator/rng.js'
import { CUSTOM_STATUS_IDS, CUSTOM_TICKET_FIELDS } from './catalog.js'
import type { CommentSeed, FileSeed } from './comments.js'
import { AUDIT_OFFSET, GHOST_AGENT_ID, iso } from './ids.js'
import { SALT, type UserSeed } from './people.js'
import { STATIC_HOST, contentUrl } from './attachments.js'
import type { Channel, TicketDetail, TicketHeader } from './tickets.js'
import type { ZdWorld } from './world.js'

/** Wire shapes of tickets, comments and attachments. `origin` is the account host, `api` = `${origin}/api/v2`. */

export interface Urls {
  origin: string
  api: string
}

const SUPPORT_ADDRESS = 'support@acme-sim.example'

function viaSource(channel: Channel, requester: UserSeed): Record<string, unknown> {
  switch (channel) {
    case 'email':
      return { from: { address: requester.email ?? 'unknown@example.com', name: requester.name }, to: { name: 'Acme Support', address: SUPPORT_ADDRESS }, rel: null }
    case 'twitter':
      return {
        from: { name: requester.name, username: requester.handle, profile_url: `https://www.twitter.com/${requester.handle}`, twitter_id: String(1_200_000_000 + requester.index) },
        to: { name: null, username: 'acme_support', profile_url: 'https://www.twitter.com/acme_support', twitter_id: '1405469528' },
        rel: 'mention',
      }
    case 'facebook':
      return { from: { name: requester.name, profile_url: `http://www.facebook.com/${300_000_000 + requester.index}`, facebook_id: String(300_000_000 + requester.index) }, to: { name: 'Acme', profile_url: 'http://facebook.com/316859181839498', facebook_id: '316859181839498' }, rel: 'post' }
    case 'voice':
      return { from: { formatted_phone: requester.phone ?? '+49 30 555 0100', phone: requester.phone ?? '+49305550100', name: requester.name }, to: { formatted_phone: '+49 30 555 0199', phone: '+49305550199', name: 'Acme Hotline' }, rel: 'inbound' }
    default:
      return { from: {}, to: {}, rel: null }
  }
}

/** Custom field values of a ticket, by field type; tagger and multiselect values are mirrored into tags. */
export function customFieldValues(w: ZdWorld, h: TicketHeader): { id: number; value: unknown }[] {
  const r = new Rng(w.seed, h.index, SALT.detail, 2)
  const asString = w.sparse.sparse
  return CUSTOM_TICKET_FIELDS.map((f) => {
    const set = !h.scrubbed && r.chance(0.6)
    const num = (n: number): unknown => (asString ? String(n) : n)
    let value: unknown = null
    if (set) {
      if (f.type === 'text' || f.type === 'textarea') value = f.type === 'text' ? `ORD-${100_000 + h.index}` : 'Notes carried over from the old system.\nSecond line.'
      else if (f.type === 'tagger') value = r.pick(f.options!).value
      else if (f.type === 'multiselect') value = f.options!.filter(() => r.chance(0.5)).map((o) => o.value)
      else if (f.type === 'checkbox') value = r.chance(0.5)
      else if (f.type === 'date') value = iso(h.createdAt - r.int(400) * 86_400).slice(0, 10)
      else if (f.type === 'integer') value = num(r.range(1, 40))
      else if (f.type === 'decimal') value = asString ? (r.range(100, 99_999) / 100).toFixed(2) : r.range(100, 99_999) / 100
    } else if (f.type === 'checkbox') value = false
    return { id: f.id, value }
  })
}

export function ticketTags(w: ZdWorld, h: TicketHeader, values: { id: number; value: unknown }[]): string[] {
  if (h.scrubbed) return []
  const r = new Rng(w.seed, h.index, SALT.detail, 3)
  const tags = new Set<string>()
  for (const v of values) {
    if (typeof v.value === 'string' && v.value.includes('_') && /^(product|area)_/.test(v.value)) tags.add(v.value)
    if (Array.isArray(v.value)) for (const x of v.value as string[]) tags.add(x)
  }
  if (r.chance(0.4)) tags.add(r.pick(['vip', 'refund', 'bug', 'how-to', 'rückruf']))
  if (h.mergedInto !== null) tags.add('closed_by_merge')
  return [...tags].sort()
}

export function renderTicket(w: ZdWorld, u: Urls, h: TicketHeader, d: TicketDetail, opts: { exported: boolean }): Record<string, unknown> {
  const users = w.users()
  const requester = users[d.requesterIndex]!
  const comments = h.scrubbed ? [] : w.comments(h.index)
  const first = comments[0]
  const values = customFieldValues(w, h)
  const status = h.deleted ? 'deleted' : h.status
  const submitter = d.channel === 'twitter' ? -1 : first && first.authorId !== GHOST_AGENT_ID ? first.authorId : requester.id
  const agentIds = w.agentIds()
  const ccIds = d.ccIndexes.map((i) => users[i]!.id)
  const followerIds = d.followerIndexes.map((i) => agentIds[i]!)
  const sparse = w.sparse
  const t: Record<string, unknown> = {
    url: `${u.api}/tickets/${h.id}.json`,
    id: h.id,
    external_id: null,
    via: { channel: d.channel, source: viaSource(d.channel, requester) },
    created_at: iso(h.createdAt),
    updated_at: iso(h.updatedAt),
    type: h.scrubbed ? null : d.type,
    subject: h.subject,
    raw_subject: h.subject,
    description: h.scrubbed ? 'X' : first ? first.text : '',
    priority: h.scrubbed ? null : d.priority,
    status,
    recipient: d.channel === 'email' ? SUPPORT_ADDRESS : null,
    requester_id: requester.id,
    submitter_id: submitter,
    assignee_id: d.ghostAssignee ? GHOST_AGENT_ID : d.assigneeIndex === null ? null : agentIds[d.assigneeIndex]!,
    organization_id: requester.organizationId,
    group_id: d.groupId,
    collaborator_ids: [...ccIds, ...followerIds],
    follower_ids: followerIds,
    email_cc_ids: ccIds,
    forum_topic_id: null,
    problem_id: null,
    has_incidents: false,
    is_public: first ? first.public || first.kind === 'VoiceComment' : true,
    due_at: d.type === 'task' && !h.scrubbed ? iso(h.createdAt + 7 * 86_400) : null,
    tags: ticketTags(w, h, values),
    custom_fields: values,
    satisfaction_rating: (h.status === 'solved' || h.status === 'closed') && !h.deleted && h.index % 4 === 0 ? { score: h.index % 8 === 0 ? 'good' : 'offered' } : null,
    sharing_agreement_ids: [],
    custom_status_id: CUSTOM_STATUS_IDS[h.status],
    fields: values,
    followup_ids: [],
    ticket_form_id: d.formId,
    brand_id: d.brandId,
    allow_channelback: d.channel === 'twitter' || d.channel === 'facebook',
    allow_attachments: true,
    from_messaging_channel: false,
  }
  if (opts.exported) t.generated_timestamp = h.updatedAt
  if (!sparse.sparse) return t
  // Older accounts (the recorded ones): no custom statuses, forms or messaging flag; CC lists missing.
  let s = sparse.omit(t, 'custom_status_id', 'ticket.customStatus', h.id, 0.7)
  s = sparse.omit(s, 'ticket_form_id', 'ticket.form', h.id, 0.6)
  s = sparse.omit(s, 'from_messaging_channel', 'ticket.messaging', h.id, 0.7)
  s = sparse.omit(s, 'email_cc_ids', 'ticket.ccs', h.id, 0.3)
  s = sparse.omit(s, 'follower_ids', 'ticket.ccs', h.id, 0.3)
  return s
}

function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')
}

export function renderAttachment(w: ZdWorld, u: Urls, f: FileSeed): Record<string, unknown> {
  const url = contentUrl(u.origin, w.seed, f.id, f.name)
  const thumbs = f.thumbnail
    ? [(() => {
        const name = f.name.replace(/(\.[^.]+)?$/, '_thumb$1')
        const tu = contentUrl(u.origin, w.seed, f.thumbnail.id, name)
        return { url: `${u.api}/attachments/${f.thumbnail.id}.json`, id: f.thumbnail.id, file_name: name, content_url: tu, mapped_content_url: tu, content_type: f.contentType, size: f.thumbnail.size, width: f.thumbnail.width, height: f.thumbnail.height, inline: false, deleted: false }
      })()]
    : []
  const a: Record<string, unknown> = {
    url: `${u.api}/attachments/${f.id}.json`, id: f.id, file_name: f.name, content_url: url, mapped_content_url: url, content_type: f.contentType,
    size: f.size, width: f.width, height: f.height, inline: f.inline, deleted: false, malware_access_override: false, malware_scan_result: 'not_scanned', thumbnails: thumbs,
  }
  if (!w.sparse.sparse) return a
  let s = w.sparse.omit(a, 'malware_scan_result', 'file.malware', f.id, 0.7)
  s = w.sparse.omit(s, 'malware_access_override', 'file.malware', f.id, 0.7)
  return w.sparse.omit(s, 'size', 'file.size', f.id, 0.1)
}

export function commentHtml(w: ZdWorld, u: Urls, c: CommentSeed): string {
  const paras = c.text.split('\n\n').map((p) => `<p dir="auto">${escapeHtml(p)}</p>`)
  if (c.emoji) paras.push(`<p dir="auto"><img src="${STATIC_HOST}/classic/images/emojis/${c.emoji}.png" height="20px" width="20px" alt="${c.emoji}" title="${c.emoji}"></p>`)
  for (const img of c.inlineImages) paras.push(`<p dir="auto"><img src="${contentUrl(u.origin, w.seed, img.id, img.name)}" alt="${img.name}"></p>`)
  return `<div class="zd-comment" dir="auto">${paras.join('')}</div>`
}

export function renderComment(w: ZdWorld, u: Urls, c: CommentSeed, includeInline: boolean): Record<string, unknown> {
  const html = commentHtml(w, u, c)
  const files = [...c.files, ...(includeInline ? c.inlineImages : [])].map((f) => renderAttachment(w, u, f))
  const inlineMarkdown = c.inlineImages.map((i) => `\n\n![${i.name}](${contentUrl(u.origin, w.seed, i.id, i.name)})`).join('')
  const author = w.userById(c.authorId)
  const via = c.merge
    ? { channel: 'web', source: { from: c.merge.role === 'target' ? { ticket_id: c.merge.otherId, subject: null } : {}, to: {}, rel: 'merge' } }
    : { channel: c.channel, source: author && (c.channel === 'email' || c.channel === 'twitter' || c.channel === 'facebook' || c.channel === 'voice') && author.role === 'end-user' ? viaSource(c.channel, author) : { from: {}, to: {}, rel: null } }
  const system = c.channel === 'web' ? { client: 'Mozilla/5.0', ip_address: '203.0.113.7', location: 'Berlin, BE, Germany', latitude: 52.52, longitude: 13.4 } : {}
  // Social comments carry the network's own record, its date in another format than the comment's (as recorded).
  const decoration = author?.handle && (c.channel === 'twitter' || c.channel === 'facebook') && c.authorId === author.id
    ? { decoration: { created_at: new Date(c.createdAt * 1000 - 25_000).toISOString().replace(/\.\d{3}Z$/, '+00:00'), author: { id: String(1_200_000_000 + author.index), name: author.name, screen_name: author.handle }, external_id: `62588826${c.id}`, resource_type: c.channel === 'twitter' ? 'twitter_status' : 'facebook_post', version: 4 } }
    : {}
  const common = { id: c.id, author_id: c.authorId, public: c.public, attachments: files, audit_id: c.id - AUDIT_OFFSET, via, created_at: iso(c.createdAt), metadata: { system, custom: {}, ...decoration } }
  if (c.kind === 'VoiceComment' && c.voice) {
    const data = { from: c.voice.from, to: c.voice.to, recording_url: `https://voice.zendesk-sim.invalid/recordings/${c.voice.callId}.mp3`, call_id: c.voice.callId, call_duration: c.voice.durationSeconds, answered_by_id: w.agentIds()[0], transcription_text: null, started_at: iso(c.createdAt), location: 'Berlin, Germany' }
    if (w.sparse.sparse) {
      // As recorded from a telephony partner: a TPE voice comment, with a body after all.
      return { ...common, type: 'TpeVoiceComment', data: { ...data, recording_url: '' }, formatted_from: c.voice.from, formatted_to: c.voice.to, transcription_visible: false, body: c.text, html_body: html, trusted: true, title: c.text }
    }
    return { ...common, type: 'VoiceComment', html_body: html, data, formatted_from: c.voice.from, formatted_to: c.voice.to, transcription_visible: false, trusted: true }
  }
  return { ...common, type: 'Comment', body: c.text + (c.emoji ? ` :${c.emoji}:` : '') + inlineMarkdown, html_body: html, plain_body: c.text }
}
