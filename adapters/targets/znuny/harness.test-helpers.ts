// Test support: the Znuny target against a fresh simulator (in memory, or kept in a stand-in database), with a
// switch that cuts the connection right after the next ticket's first write (the conformance suite's fault).
import type { HttpClient, HttpRequest } from '../../../src/core/http.js'
import { RemoteUnavailableError } from '../../../src/core/errors.js'
import { silentLogger } from '../../../src/core/log.js'
import { defaultMappingConfig, type MappingConfig } from '../../../src/core/mapping-config.js'
import { Redactor } from '../../../src/core/redact.js'
import { createHttpClient, defaultHostPolicy } from '../../../src/http/client.js'
import type { TargetHarness } from '../../../src/testing/target-conformance.js'
import { createScratchDatabase } from '../../../src/testing/test-databases.js'
import { startZnunySim, type ZnunySim, type ZnunySimOptions } from './simulator/index.js'
import { createZnunyTarget, type ZnunyTarget } from './index.js'
import { ZNUNY_MAPPING } from './mapping.js'
import type { ZnunyConfig } from './config.js'

/** An HTTP client that can be cut: `cutAfter(n)` lets `n` more writes through, then every request fails. */
export class CuttableHttp implements HttpClient {
  private left: number | null = null
  down = false
  constructor(private readonly inner: HttpClient) {}
  cutAfterWrites(n: number): void {
    this.left = n
  }
  heal(): void {
    this.left = null
    this.down = false
  }
  private guard(req: HttpRequest): void {
    if (this.down) throw new RemoteUnavailableError(`connection refused (cut by the test): ${req.method ?? 'GET'} ${req.route ?? ''}`)
  }
  /** Counts writes that wrote something (a refused request, such as the version probe, changed nothing). */
  private after(req: HttpRequest, body: unknown): void {
    if (this.left === null || req.method === 'GET' || req.route === 'znuny.SessionCreate') return
    if (body && typeof body === 'object' && 'Error' in body) return
    if (--this.left <= 0) {
      this.left = null
      this.down = true
    }
  }
  async requestJson(req: HttpRequest) {
    this.guard(req)
    const res = await this.inner.requestJson(req)
    this.after(req, res.body)
    return res
  }
  async requestStream(req: HttpRequest) {
    this.guard(req)
    return this.inner.requestStream(req)
  }
  stats() {
    return this.inner.stats()
  }
  close() {
    return this.inner.close()
  }
}

export const testHttp = () =>
  createHttpClient({ policy: defaultHostPolicy({ backoffBaseMs: 1, backoffMaxMs: 5, timeoutMs: 10_000, maxAttempts: 4 }), redactor: new Redactor(), log: silentLogger, random: () => 0.5 })

export const znunyMapping = (over: Record<string, unknown> = {}): MappingConfig =>
  defaultMappingConfig({ queues: { '*': 'Raw' }, states: { '*': 'from-status' }, customersWithoutEmail: { policy: 'placeholder', pattern: 'noemail+{sourceId}@{domain}', domain: 'noemail.invalid' }, ...over }, [...ZNUNY_MAPPING])

export interface ZnunyHarness extends TargetHarness {
  readonly target: ZnunyTarget
  readonly sim: ZnunySim
  readonly http: CuttableHttp
  readonly dbUrl: string | null
}

/** A fresh simulator (with `dialect`, kept in a scratch stand-in database) and the target aimed at it. */
export async function znunyHarness(o: { dialect?: 'mysql' | 'postgres'; sim?: ZnunySimOptions; target?: Partial<ZnunyConfig>; mapping?: Record<string, unknown> } = {}): Promise<ZnunyHarness> {
  const scratch = o.dialect ? await createScratchDatabase(o.dialect, 'znconf') : null
  const sim = await startZnunySim({ sendmailModule: 'Kernel::System::Email::DoNotSendEmail', ...o.sim, ...(scratch ? { dbUrl: scratch.url } : {}) })
  const http = new CuttableHttp(testHttp())
  const make = (url: string, h: HttpClient) =>
    createZnunyTarget({ url, user: sim.env.ZNUNY_USER, password: sim.env.ZNUNY_PASSWORD, dbUrl: scratch?.url ?? null, ...o.target }, { http: h, log: silentLogger, now: () => new Date() })
  const target = make(sim.baseUrl, http)
  return {
    target,
    sim,
    http,
    dbUrl: scratch?.url ?? null,
    config: znunyMapping(o.mapping),
    // Nothing listens on port 1: connecting is refused at once.
    unreachable: async () => make('http://127.0.0.1:1/otrs/nph-genericinterface.pl/Webservice/GenericTicketConnectorREST', http),
    async tamper(ref) {
      await target.rest.ticketUpdate(ref.split('/')[0]!, { Ticket: { Title: 'changed behind deskmove' } }, { idempotent: true })
    },
    async count() {
      const m = await sim.manifest()
      const articles = m.tickets.flatMap((t) => t.Article)
      return { tickets: m.tickets.length, articles: articles.length, attachments: articles.reduce((n, a) => n + a.Attachment.length, 0), mailQueue: m.mailQueue.length }
    },
    injectFault() {
      http.cutAfterWrites(1)
      return () => http.heal()
    },
    async close() {
      await target.close()
      await http.close()
      await sim.close()
      await scratch?.drop()
    },
  }
}
