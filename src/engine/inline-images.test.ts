import { describe, expect, it } from 'vitest'
import type { SourcePage, StagedRecord } from '../core/source.js'
import type { Message } from '../core/model/message.js'
import type { Attachment } from '../core/model/attachment.js'
import { isOnHosts, remoteImageSources, rewriteImageSources } from '../kits/source/body-images.js'
import { inlineImageContentId, inlineImageHostsOf, inlineImageId, inlineImageUrlOf, withInlineImages } from './inline-images.js'

const CDN = 'https://cdn.vendor.example/inline/7/a.png'
const PIXEL = 'https://t.tracker.example/o/1.gif?u=9&m=3'

function message(bodyHtml: string | null, id = 'm1'): StagedRecord {
  const m: Message = {
    kind: 'message', source: 'helpscout', sourceId: id, sourceUpdatedAt: null, sourceUrl: null, ticketRef: { kind: 'ticket', sourceId: 't1' },
    type: 'customer_message', author: { role: 'customer', ref: null, name: null, email: null }, bodyHtml, bodyText: null, from: null, to: [], cc: [], bcc: [],
    createdAt: '2024-01-01T00:00:00.000Z', messageId: null, channel: 'email', position: 0, event: null, statusAfter: null, assigneeRef: null, subtype: null,
  }
  return { canonical: m, raw: { id, body: bodyHtml } }
}

describe('body image rewrite (pure)', () => {
  it('finds remote images only, decoded, once each', () => {
    const html = `<img src="${CDN}"><IMG alt=x SRC='${CDN}'><img src="cid:abc"><img src="data:image/png;base64,AA"><img src="https://t.tracker.example/o/1.gif?u=9&amp;m=3">`
    expect(remoteImageSources(html)).toEqual([CDN, PIXEL])
    expect(remoteImageSources(null)).toEqual([])
  })

  it('points only the mapped images at cid:, leaving every other byte', () => {
    const html = `<p>Hi</p><img alt="s" src="${CDN}" width="10"><img src='https://t.tracker.example/o/1.gif?u=9&amp;m=3'><img src=${CDN}>`
    const out = rewriteImageSources(html, new Map([[CDN, 'img-1@inline.deskmove']]))
    expect(out).toBe(`<p>Hi</p><img alt="s" src="cid:img-1@inline.deskmove" width="10"><img src='https://t.tracker.example/o/1.gif?u=9&amp;m=3'><img src="cid:img-1@inline.deskmove">`)
    expect(rewriteImageSources(html, new Map())).toBe(html)
  })

  it('matches hosts by name (sub-domains too), port and path prefix', () => {
    expect(isOnHosts(CDN, ['vendor.example'])).toBe(true)
    expect(isOnHosts(CDN, ['cdn.vendor.example'])).toBe(true)
    expect(isOnHosts(CDN, ['evilvendor.example', 'other.example'])).toBe(false)
    expect(isOnHosts('https://notvendor.example/a.png', ['vendor.example'])).toBe(false)
    expect(isOnHosts('http://127.0.0.1:8080/cdn/a.png', ['127.0.0.1:8080/cdn/'])).toBe(true)
    expect(isOnHosts('http://127.0.0.1:8080/track/a.gif', ['127.0.0.1:8080/cdn/'])).toBe(false)
    expect(isOnHosts('http://127.0.0.1:9090/cdn/a.png', ['127.0.0.1:8080/cdn/'])).toBe(false)
    expect(isOnHosts('not a url', ['vendor.example'])).toBe(false)
  })

  it('merges the definition hosts with the user config (array or comma-separated)', () => {
    expect(inlineImageHostsOf({ inlineImages: { hosts: ['a.example'] } }, { inlineImageHosts: 'b.example, c.example' })).toEqual(['a.example', 'b.example', 'c.example'])
    expect(inlineImageHostsOf({ inlineImages: { hosts: ['a.example'] } }, { inlineImageHosts: ['a.example', 'd.example'] })).toEqual(['a.example', 'd.example'])
    expect(inlineImageHostsOf({}, null)).toEqual([])
  })
})

describe('withInlineImages', () => {
  const page = (records: StagedRecord[]): SourcePage => ({ records, rejects: [], checkpoint: { page: 1 } })

  it('stages each vendor image as an inline attachment and references it by cid; external images are warned', () => {
    const body = `<p>see</p><img src="${CDN}"><img src="${PIXEL.replace('&', '&amp;')}" width="1">`
    const original = message(body)
    const { page: out, counts } = withInlineImages(page([original]), ['vendor.example'])
    expect(counts).toEqual({ vendor: 1, external: 1 })
    expect(out.records).toHaveLength(2)
    const m = out.records[0]!.canonical as Message
    const a = out.records[1]!.canonical as Attachment
    const cid = inlineImageContentId('m1', CDN)
    expect(m.bodyHtml).toBe(`<p>see</p><img src="cid:${cid}"><img src="${PIXEL.replace('&', '&amp;')}" width="1">`)
    expect(m.inlineImageUrls).toEqual([CDN, PIXEL])
    expect(out.records[0]!.raw).toBe(original.raw)
    expect(out.records[0]!.warnings?.map((w) => w.code)).toEqual(['external-image'])
    expect(out.records[0]!.warnings?.[0]?.detail).toContain('t.tracker.example')
    expect(a).toMatchObject({ kind: 'attachment', sourceId: inlineImageId('m1', CDN), inline: true, contentId: cid, fileName: 'a.png', contentType: 'image/png', sha256: null, messageRef: { kind: 'message', sourceId: 'm1' }, ticketRef: { kind: 'ticket', sourceId: 't1' } })
    expect(inlineImageUrlOf(a.download)).toBe(CDN)
  })

  it('is deterministic: a re-read yields the same ids, body and content ids; another message gets other ids', () => {
    const body = `<img src="${CDN}">`
    const a = withInlineImages(page([message(body)]), ['vendor.example']).page
    const b = withInlineImages(page([message(body)]), ['vendor.example']).page
    expect(JSON.stringify(b.records.map((r) => r.canonical))).toBe(JSON.stringify(a.records.map((r) => r.canonical)))
    expect(inlineImageId('m2', CDN)).not.toBe(inlineImageId('m1', CDN))
    expect(inlineImageContentId('m1', 'https://cdn.vendor.example/inline/7/b.png')).not.toBe(inlineImageContentId('m1', CDN))
  })

  it('returns a page without vendor or remote images as it is', () => {
    const p = page([message('<p>no images</p>'), message(null, 'm2')])
    expect(withInlineImages(p, ['vendor.example']).page).toBe(p)
    const onlyPixel = withInlineImages(page([message(`<img src="${PIXEL}">`)]), ['vendor.example'])
    expect(onlyPixel.counts).toEqual({ vendor: 0, external: 1 })
    expect(onlyPixel.page.records).toHaveLength(1)
    expect((onlyPixel.page.records[0]!.canonical as Message).bodyHtml).toBe(`<img src="${PIXEL}">`)
  })
})
