import { describe, expect, it } from 'vitest'
import { AuthError, RemoteRequestError } from '../core/errors.js'
import { classifyStatus, describeTransientError, expectOk } from './classify.js'

const head = (status: number, url = 'https://api.example.com/v2/conversations?page=2') => ({ status, headers: {}, url })

describe('classifyStatus', () => {
  it('returns 2xx, 3xx and 4xx, throttles 429 and retries every 5xx', () => {
    expect([200, 204, 302, 400, 401, 404, 422].map(classifyStatus)).toEqual(Array(7).fill('return'))
    expect(classifyStatus(429)).toBe('throttle')
    expect([500, 502, 503, 504, 520, 599].map(classifyStatus)).toEqual(Array(6).fill('retry'))
  })
})

describe('describeTransientError', () => {
  it('recognises connection failures, also when wrapped', () => {
    const reset = Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' })
    expect(describeTransientError(reset)).toBe('connection reset (ECONNRESET)')
    const wrapped = new Error('fetch failed', { cause: new AggregateError([Object.assign(new Error('x'), { code: 'ECONNREFUSED' })]) })
    expect(describeTransientError(wrapped)).toBe('connection refused (ECONNREFUSED)')
    expect(describeTransientError(Object.assign(new Error('closed'), { code: 'UND_ERR_SOCKET' }))).toMatch(/UND_ERR_SOCKET/)
  })

  it('does not treat programming errors as transient', () => {
    expect(describeTransientError(new TypeError('bad header'))).toBeNull()
    expect(describeTransientError(Object.assign(new Error('x'), { code: 'UND_ERR_INVALID_ARG' }))).toBeNull()
    expect(describeTransientError('nope')).toBeNull()
  })
})

describe('expectOk', () => {
  it('accepts any 2xx', () => {
    expect(() => expectOk(head(200), 'list conversations')).not.toThrow()
    expect(() => expectOk(head(204), 'delete')).not.toThrow()
  })

  it('throws AuthError on 401 and 403', () => {
    for (const status of [401, 403]) {
      const err = (() => {
        try {
          expectOk(head(status), 'list conversations')
        } catch (e) {
          return e
        }
      })()
      expect(err).toBeInstanceOf(AuthError)
      expect((err as AuthError).code).toBe('AUTH_FAILED')
      expect((err as AuthError).message).toContain(`HTTP ${status}`)
    }
  })

  it('throws RemoteRequestError with status and a query-free URL on other 4xx and on 3xx', () => {
    for (const status of [404, 422, 301]) {
      try {
        expectOk(head(status, 'https://api.example.com/v2/users/7?access_token=abcdef123456'), 'get user')
        expect.unreachable()
      } catch (e) {
        expect(e).toBeInstanceOf(RemoteRequestError)
        const err = e as RemoteRequestError
        expect(err.status).toBe(status)
        expect(err.url).toBe('https://api.example.com/v2/users/7')
        expect(err.message).toContain('get user')
        expect(err.message).not.toContain('abcdef123456')
      }
    }
  })
})
