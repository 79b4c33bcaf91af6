/** Hides the password (and `password=` query parameters) of a database URL; host and database name stay. */
export function redactDbUrl(url: string): string {
  let out: string
  try {
    const password = new URL(url).password
    out = password ? url.replace(`:${password}@`, ':***@') : url
  } catch {
    // Not parseable: mask everything between `user:` and the last `@`, erring on the side of hiding too much.
    out = url.replace(/(\/\/[^/\s:@]*:).*@/, '$1***@')
  }
  return out.replace(/([?&](?:password|pass|pwd)=)[^&#]*/gi, '$1***')
}
