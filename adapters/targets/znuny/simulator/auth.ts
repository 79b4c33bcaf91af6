// GI authentication (znuny.md B.2/O2/O3): SessionID, or UserLogin/CustomerUserLogin + Password on any call.
// Sessions can expire after a number of uses, or on an `authfail` fault, so clients prove they log in again.
import type { SimResponse } from '../../../../src/kits/simulator/responses.js'
import { hash32 } from '../../../../src/kits/simulator/rng.js'
import { giError, type GiData } from './gi.js'
import type { ZnunyModel } from './model.js'
import { str } from './text.js'

export interface GiUser {
  readonly kind: 'agent' | 'customer'
  /** users.id of an agent; 1 (the system user) stands in for customers in create_by columns. */
  readonly id: number
  readonly login: string
}

interface Session {
  readonly user: GiUser
  uses: number
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'

export class Sessions {
  private readonly sessions = new Map<string, Session>()
  private issued = 0

  /** `maxUses`: requests a session serves before it answers AuthFail (null: never expires). */
  constructor(private readonly seed: number, private readonly maxUses: number | null) {}

  create(user: GiUser): string {
    const n = this.issued++
    let id = ''
    for (let i = 0; i < 32; i++) id += ALPHABET[hash32(this.seed, n, 97, i) % ALPHABET.length]
    this.sessions.set(id, { user, uses: 0 })
    return id
  }

  /** The session's user, counting one use; null when unknown or expired. */
  use(id: string): GiUser | null {
    const s = this.sessions.get(id)
    if (!s) return null
    if (this.maxUses !== null && s.uses >= this.maxUses) {
      this.sessions.delete(id)
      return null
    }
    s.uses++
    return s.user
  }

  peek(id: string): GiUser | null {
    return this.sessions.get(id)?.user ?? null
  }

  expire(id: string): void {
    this.sessions.delete(id)
  }
}

/** Checks a login and password against agents (`users`) or customer users (`customer_user`). */
export async function checkLogin(model: ZnunyModel, data: GiData): Promise<GiUser | null> {
  const password = str(data.Password)
  const login = str(data.UserLogin)
  const customer = str(data.CustomerUserLogin)
  if (password === undefined) return null
  if (login !== undefined) {
    const [u] = await model.tables.select('users', { login, valid_id: 1 })
    return u && u.pw === password ? { kind: 'agent', id: Number(u.id), login } : null
  }
  if (customer !== undefined) {
    const [c] = await model.tables.select('customer_user', { login: customer, valid_id: 1 })
    return c && c.pw === password ? { kind: 'customer', id: 1, login: customer } : null
  }
  return null
}

/**
 * Authenticates an operation call. Write operations answer MissingParameter/AuthFail "User could not be
 * authenticated!"; read operations answer AuthFail "Authorization failing!" for both (as observed).
 */
export async function authenticate(op: string, model: ZnunyModel, sessions: Sessions, data: GiData): Promise<GiUser | SimResponse> {
  const write = op === 'TicketCreate' || op === 'TicketUpdate'
  const sessionId = str(data.SessionID)
  const hasLogin = str(data.UserLogin) !== undefined || str(data.CustomerUserLogin) !== undefined
  const fail = () => giError(op, 'AuthFail', write ? 'User could not be authenticated!' : 'Authorization failing!')
  if (sessionId === undefined && !hasLogin) {
    return write ? giError(op, 'MissingParameter', 'UserLogin, CustomerUserLogin or SessionID is required!') : fail()
  }
  if (sessionId !== undefined) return sessions.use(sessionId) ?? fail()
  if (str(data.Password) === undefined && write) return giError(op, 'MissingParameter', 'Password or SessionID is required!')
  return (await checkLogin(model, data)) ?? fail()
}

export const isResponse = (v: unknown): v is SimResponse => typeof v === 'object' && v !== null && 'body' in v && 'status' in v
