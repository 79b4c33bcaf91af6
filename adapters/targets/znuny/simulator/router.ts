// The GenericTicketConnectorREST routes (znuny.md B.2) under `/otrs/` or `/znuny/nph-genericinterface.pl/`.

export const WEBSERVICE = 'GenericTicketConnectorREST'

export type Operation = 'SessionCreate' | 'SessionGet' | 'TicketCreate' | 'TicketGet' | 'TicketGetList' | 'TicketSearch' | 'TicketUpdate' | 'TicketHistoryGet'

interface RouteDef {
  readonly method: string
  readonly path: RegExp
  readonly op: Operation
  readonly param?: string
}

const ROUTES: readonly RouteDef[] = [
  { method: 'POST', path: /^\/Session$/, op: 'SessionCreate' },
  { method: 'GET', path: /^\/Session\/([^/]+)$/, op: 'SessionGet', param: 'SessionID' },
  { method: 'POST', path: /^\/Ticket$/, op: 'TicketCreate' },
  { method: 'GET', path: /^\/Ticket$/, op: 'TicketSearch' },
  { method: 'GET', path: /^\/Ticket\/([^/]+)$/, op: 'TicketGet', param: 'TicketID' },
  { method: 'PATCH', path: /^\/Ticket\/([^/]+)$/, op: 'TicketUpdate', param: 'TicketID' },
  { method: 'GET', path: /^\/TicketList$/, op: 'TicketGetList' },
  { method: 'GET', path: /^\/TicketHistory\/([^/]+)$/, op: 'TicketHistoryGet', param: 'TicketID' },
]

const BASE = /^\/(otrs|znuny)\/nph-genericinterface\.pl\/(?:Webservice\/([^/]+)|WebserviceID\/(\d+))(\/.*)?$/

export type Routed =
  | { readonly kind: 'op'; readonly op: Operation; readonly params: Record<string, string> }
  /** Under the GI script but naming another web service: Znuny answers nothing at all. */
  | { readonly kind: 'unknown-webservice' }
  /** The web service exists but no route matches the method and path. */
  | { readonly kind: 'no-route'; readonly route: string }
  /** Not the GI script at all. */
  | { readonly kind: 'not-found' }

/** Which operation a request names. The web service is known by name or as WebserviceID 1. */
export function route(method: string, pathname: string): Routed {
  const m = BASE.exec(pathname)
  if (!m) return { kind: 'not-found' }
  const name = m[2] === undefined ? undefined : decodeURIComponent(m[2])
  if (name !== undefined ? name !== WEBSERVICE : m[3] !== '1') return { kind: 'unknown-webservice' }
  const rest = m[4] ?? ''
  for (const r of ROUTES) {
    if (r.method !== method) continue
    const hit = r.path.exec(rest)
    if (hit) return { kind: 'op', op: r.op, params: r.param ? { [r.param]: decodeURIComponent(hit[1]!) } : {} }
  }
  return { kind: 'no-route', route: rest }
}

/** The counting key of `/_sim/stats`: the operation, else 'other'. */
export function routeKey(method: string, pathname: string): string {
  const r = route(method, pathname)
  return r.kind === 'op' ? r.op : 'other'
}
