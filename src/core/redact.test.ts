import { describe, expect, it } from 'vitest'
import { Redactor } from './redact.js'

// Issue 8 item 15: redaction hides secrets and nothing else.

describe('Redactor', () => {
  it('keeps host, database and user of a database URL without a password', () => {
    const r = new Redactor()
    r.add('mysql://root@127.0.0.1:3306/nc_empty')
    expect(r.redact('cannot reach the database at mysql://root@127.0.0.1:3306/nc_empty')).toBe('cannot reach the database at mysql://root@127.0.0.1:3306/nc_empty')
  })

  it('hides the password of a database URL wherever it appears, keeping host and database', () => {
    const r = new Redactor()
    r.add('postgres://app:s3cr%40t-pw@db.example:5432/freescout')
    expect(r.redact('connecting to postgres://app:s3cr%40t-pw@db.example:5432/freescout')).toBe('connecting to postgres://app:[REDACTED]@db.example:5432/freescout')
    // The driver may echo the decoded password on its own.
    expect(r.redact('password authentication failed (s3cr@t-pw)')).toBe('password authentication failed ([REDACTED])')
  })

  it('masks URL credentials it was never told about', () => {
    expect(new Redactor().redact('GET https://bob:hunter2@api.example/v2/x')).toBe('GET https://bob:[REDACTED]@api.example/v2/x')
  })

  it('keeps the HTTP method after a call name ending in "token"', () => {
    expect(new Redactor().redact('oauth2.token: POST https://api.helpscout.net/v2/oauth2/token → 401')).toBe('oauth2.token: POST https://api.helpscout.net/v2/oauth2/token → 401')
  })

  it('keeps MySQL\'s "(using password: YES)" whole, parenthesis included', () => {
    const msg = "Access denied for user 'root'@'localhost' (using password: YES)"
    expect(new Redactor().redact(msg)).toBe(msg)
  })

  it('masks secret values of key=value and JSON shapes, and registered secrets', () => {
    const r = new Redactor()
    r.add('app-secret-value-123')
    expect(r.redact('client_secret=abc123&grant_type=client_credentials')).toBe('client_secret=[REDACTED]&grant_type=client_credentials')
    expect(r.redact('{"access_token":"eyJabc.def","expires_in":7200}')).toBe('{"access_token":"[REDACTED]","expires_in":7200}')
    expect(r.redact('(password: hunter22)')).toBe('(password: [REDACTED])')
    expect(r.redact('secret is app-secret-value-123.')).toBe('secret is [REDACTED].')
    expect(r.redact('Authorization: Bearer abcdefghijkl')).toBe('Authorization: Bearer [REDACTED]')
  })
})
