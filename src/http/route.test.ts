import { describe, expect, it } from 'vitest'
import { Redactor } from '../core/redact.js'
import { buildUrl, displayUrl, routeKey } from './route.js'

describe('buildUrl', () => {
  it('merges query values and drops undefined ones', () => {
    const url = buildUrl({ url: 'https://api.example.com/v2/conversations?status=all', query: { page: 2, embed: undefined, x: true } })
    expect(url.toString()).toBe('https://api.example.com/v2/conversations?status=all&page=2&x=true')
  })
})

describe('routeKey', () => {
  it('prefers the caller-given route name', () => {
    expect(routeKey({ url: 'https://a.example/v2/x/1', route: 'x.get' }, new URL('https://a.example/v2/x/1'))).toBe('x.get')
  })

  it('replaces ids in the path so stats group by endpoint', () => {
    const key = (method: 'GET' | 'POST', url: string) => routeKey({ method, url }, new URL(url))
    expect(key('GET', 'https://a.example/v2/conversations/123/threads?page=3')).toBe('GET /v2/conversations/:id/threads')
    expect(key('POST', 'https://a.example/api/users/6f1c2a9e-1b2c-4d5e-8f90-123456789abc/notes')).toBe('POST /api/users/:id/notes')
    expect(key('GET', 'https://a.example/api/customers/jane%40example.com')).toBe('GET /api/customers/:id')
    expect(key('GET', 'https://a.example/v2/mailboxes')).toBe('GET /v2/mailboxes')
  })
})

describe('displayUrl', () => {
  it('masks registered secrets and token-shaped query values', () => {
    const redactor = new Redactor()
    redactor.add('canary-secret-42')
    const shown = displayUrl(new URL('https://a.example/v2/x?key=canary-secret-42&access_token=zzzzzzzz&page=2'), redactor)
    expect(shown).not.toContain('canary-secret-42')
    expect(shown).not.toContain('zzzzzzzz')
    expect(shown).toContain('page=2')
  })
})
