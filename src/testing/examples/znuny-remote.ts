// The in-memory "remote" of the Znuny-shaped test target: objects behind a GenericInterface-like call API
// that answers errors inside a successful response, with a fault switch that cuts the connection after N calls.
import { createHash } from 'node:crypto'
import { RemoteUnavailableError } from '../../core/errors.js'

/** A GenericInterface answer: data, or an error object inside an HTTP 200. */
export type RemoteAnswer<T> = { readonly data: T } | { readonly Error: { readonly ErrorCode: string; readonly ErrorMessage: string } }

export interface RemoteObject {
  readonly id: string
  readonly kind: string
  readonly key: string
  fields: Record<string, unknown>
  readonly articles: string[]
}

export class ZnunyRemote {
  readonly objects = new Map<string, RemoteObject>()
  readonly queues: string[] = ['Raw', 'Support::L1', 'Support::L2']
  /** Remote calls made (writes and reads). */
  calls = 0
  /** The connection is down: every call fails with `RemoteUnavailableError`. */
  down = false
  /** Fault injection: cut the connection right after the next ticket is created (before its articles). */
  cutAfterTicketCreate = false
  private nextId = 1

  call<T>(fn: () => RemoteAnswer<T>): RemoteAnswer<T> {
    if (this.down) throw new RemoteUnavailableError('znuny-shaped: connection refused')
    this.calls++
    return fn()
  }

  create(kind: string, key: string, fields: Record<string, unknown>): RemoteAnswer<string> {
    if (kind === 'ticket' && !this.queues.includes(String(fields.queue))) return { Error: { ErrorCode: 'TicketCreate.InvalidParameter', ErrorMessage: `Queue ${String(fields.queue)} is invalid` } }
    const id = String(this.nextId++)
    this.objects.set(id, { id, kind, key, fields: { ...fields }, articles: [] })
    if (kind === 'ticket' && this.cutAfterTicketCreate) {
      this.cutAfterTicketCreate = false
      this.down = true
    }
    return { data: id }
  }

  update(id: string, fields: Record<string, unknown>): RemoteAnswer<string> {
    const o = this.objects.get(id)
    if (!o) return { Error: { ErrorCode: 'Update.NotFound', ErrorMessage: `no object ${id}` } }
    o.fields = { ...o.fields, ...fields }
    return { data: id }
  }

  addArticle(id: string, key: string): RemoteAnswer<string> {
    const o = this.objects.get(id)
    if (!o) return { Error: { ErrorCode: 'ArticleCreate.NotFound', ErrorMessage: `no ticket ${id}` } }
    o.articles.push(key)
    return { data: key }
  }

  hasArticle(id: string, key: string): boolean {
    return this.objects.get(id)?.articles.includes(key) ?? false
  }

  findByKey(key: string): RemoteObject | null {
    for (const o of this.objects.values()) if (o.key === key) return o
    return null
  }

  get(id: string): RemoteObject | null {
    return this.objects.get(id) ?? null
  }

  digest(): string {
    const rows = [...this.objects.values()].map((o) => [o.id, o.fields.opHash ?? null, o.articles.length])
    return createHash('sha256').update(JSON.stringify(rows)).digest('hex').slice(0, 32)
  }

  /** Objects by kind, articles counted apart: the idempotency yardstick of the conformance suite. */
  count(): Record<string, number> {
    const out: Record<string, number> = { organization: 0, agent: 0, customer: 0, ticket: 0, article: 0 }
    for (const o of this.objects.values()) {
      out[o.kind] = (out[o.kind] ?? 0) + 1
      out.article = (out.article ?? 0) + o.articles.length
    }
    return out
  }
}
