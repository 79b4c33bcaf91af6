// Pure text helpers for what FreeScout stores: cleaned strings, HTML bodies and the list preview.

/** What cleaning changed, so it can be reported in the conversation's import note. */
export interface CleanNotes {
  nul: boolean
  invalidUnicode: boolean
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g

/**
 * Makes a string storable in utf8mb4 / PostgreSQL text: NUL bytes are stripped (PostgreSQL refuses them) and
 * unpaired surrogates — what invalid UTF-8 becomes after decoding — are replaced with U+FFFD. 4-byte
 * characters (emoji) are kept: both databases store them in utf8mb4 / UTF8.
 */
export function cleanText(s: string, notes?: CleanNotes): string {
  let out = s
  if (out.includes('\u0000')) {
    out = out.replaceAll('\u0000', '')
    if (notes) notes.nul = true
  }
  if (LONE_SURROGATE.test(out)) {
    LONE_SURROGATE.lastIndex = 0
    out = out.replace(LONE_SURROGATE, '\uFFFD')
    if (notes) notes.invalidUnicode = true
  }
  LONE_SURROGATE.lastIndex = 0
  return out
}

/** Cuts to at most `max` characters (code points, as MySQL counts them) without splitting a surrogate pair. */
export function truncateChars(s: string, max: number): string {
  const chars = Array.from(s)
  return chars.length <= max ? s : chars.slice(0, max).join('')
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' }

function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (m, e: string) => {
    if (e[0] === '#') {
      const code = e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10)
      return Number.isFinite(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : m
    }
    return ENTITIES[e.toLowerCase()] ?? m
  })
}

/**
 * FreeScout's list preview (`Helper::textPreview`): block ends become spaces, tags (and script/style content)
 * are stripped, entities decoded, whitespace collapsed, cut to `max` characters.
 */
export function textPreview(html: string, max = 255): string {
  const text = html
    .replace(/<(script|style)\b[^>]*>[\s\S]*?<\/\1\s*>/gi, ' ')
    .replace(/<\/(p|div)\s*>|<br\s*\/?>/gi, ' ')
    .replace(/<[^>]*>/g, '')
  return truncateChars(decodeEntities(text).replace(/\s+/g, ' ').trim(), max)
}

/** Escapes text for HTML. */
export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')
}

/**
 * The HTML body FreeScout renders: the source HTML as-is (FreeScout passes every body through HTMLPurifier on
 * render, so `<script>` is neutralised there and the original stays intact for the record), or plain text
 * turned into paragraphs with line breaks.
 */
export function bodyHtml(html: string | null, text: string | null): string {
  if (html !== null && html.trim() !== '') return html
  if (text === null || text.trim() === '') return ''
  return text
    .split(/\r?\n\s*\r?\n/)
    .map((p) => `<p>${escapeHtml(p).replace(/\r?\n/g, '<br>')}</p>`)
    .join('')
}
