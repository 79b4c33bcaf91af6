import { describe, expect, it } from 'vitest'
import { halPage, pageBounds, parsePage } from './hal.js'
import { contentDisposition } from './responses.js'

describe('HAL pages', () => {
  const url = 'http://h/v2/things'

  it('omits _embedded on an empty page but still reports the page', () => {
    const body = halPage({ url, params: new URLSearchParams('page=3'), key: 'things', items: [], total: 100, page: 3, size: 50 })
    expect(body).not.toHaveProperty('_embedded')
    expect(body.page).toEqual({ size: 50, totalElements: 100, totalPages: 2, number: 3 })
    expect(body._links).not.toHaveProperty('next')
  })

  it('keeps the query in next/previous links and offers a templated page link', () => {
    const body = halPage({ url, params: new URLSearchParams('status=all&page=2'), key: 'things', items: [1], total: 120, page: 2, size: 50 }) as any
    expect(body._embedded.things).toEqual([1])
    expect(body._links.next.href).toBe(`${url}?status=all&page=3`)
    expect(body._links.previous.href).toBe(`${url}?status=all&page=1`)
    expect(body._links.page).toEqual({ href: `${url}?status=all&page={page}`, templated: true })
  })

  it('reads 1-based page numbers and slices pages', () => {
    expect(parsePage(new URLSearchParams())).toBe(1)
    expect(parsePage(new URLSearchParams('page=0'))).toBeNull()
    expect(parsePage(new URLSearchParams('page=x'))).toBeNull()
    expect(pageBounds(3, 25, 60)).toEqual({ start: 50, end: 60 })
    expect(pageBounds(4, 25, 60)).toEqual({ start: 60, end: 60 })
  })
})

describe('content-disposition of odd file names', () => {
  it('keeps an ASCII fallback free of quotes and control bytes and the exact name in filename*', () => {
    const value = contentDisposition('nul\u0000"quote".txt')
    expect(value).toBe(`attachment; filename="nul__quote_.txt"; filename*=UTF-8''nul%00%22quote%22.txt`)
    expect(contentDisposition('../../etc/passwd')).toContain(`filename*=UTF-8''..%2F..%2Fetc%2Fpasswd`)
    expect(decodeURIComponent(contentDisposition('résumé 📎.txt').split("''")[1]!)).toBe('résumé 📎.txt')
  })
})
