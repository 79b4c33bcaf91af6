// Plain-text rendering of a message's HTML body: targets index and preview `bodyText`, so it must read
// like the message (line breaks kept, entities decoded), not like markup.

const NAMED_ENTITIES: Readonly<Record<string, string>> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
  copy: '©',
  reg: '®',
  trade: '™',
  hellip: '…',
  mdash: '—',
  ndash: '–',
  lsquo: '‘',
  rsquo: '’',
  ldquo: '“',
  rdquo: '”',
  laquo: '«',
  raquo: '»',
  euro: '€',
  pound: '£',
  bull: '•',
  middot: '·',
}

const DIACRITICS: Readonly<Record<string, string>> = {
  acute: '\u0301', grave: '\u0300', circ: '\u0302', uml: '\u0308', tilde: '\u0303', ring: '\u030a', cedil: '\u0327',
}
const LETTER_SPECIALS: Readonly<Record<string, string>> = { szlig: 'ß', aelig: 'æ', AElig: 'Æ', oslash: 'ø', Oslash: 'Ø' }

/** `&eacute;`, `&Uuml;`, `&ccedil;`…: a base letter plus a combining mark, composed (case-sensitive). */
function letterEntity(name: string): string | undefined {
  if (LETTER_SPECIALS[name]) return LETTER_SPECIALS[name]
  const m = /^([a-zA-Z])(acute|grave|circ|uml|tilde|ring|cedil)$/.exec(name)
  return m?.[1] && m[2] ? `${m[1]}${DIACRITICS[m[2]]}`.normalize('NFC') : undefined
}

/** Decodes named and numeric character references; unknown names stay as written. */
export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z][a-z0-9]*);/gi, (whole, ref: string) => {
    if (ref[0] === '#') {
      const code = ref[1] === 'x' || ref[1] === 'X' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10)
      return Number.isFinite(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole
    }
    return letterEntity(ref) ?? NAMED_ENTITIES[ref.toLowerCase()] ?? whole
  })
}

const BLOCK_BREAK = /<\/?(p|div|br|li|ul|ol|tr|table|h[1-6]|blockquote|pre|hr|section|article|header|footer)\b[^>]*>/gi

/** Renders HTML as readable plain text: tags stripped, block boundaries as line breaks, entities decoded. */
export function htmlToText(html: string): string {
  const withoutInvisible = html
    .replace(/<!--[\s\S]*?-->/g, '')
    .replace(/<(script|style|head|title)\b[^>]*>[\s\S]*?<\/\1\s*>/gi, '')
  // Source line breaks are formatting, not content; only block tags make lines. Entities (e.g. &nbsp;)
  // are decoded after this on purpose, so encoded spaces survive.
  const text = withoutInvisible
    .replace(/\s+/g, ' ')
    .replace(BLOCK_BREAK, '\n')
    .replace(/<[^>]*>/g, '')
    // A removed inline tag can leave two spaces behind.
    .replace(/ {2,}/g, ' ')
  return decodeEntities(text)
    .split('\n')
    .map((line) => line.trim())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim()
}
