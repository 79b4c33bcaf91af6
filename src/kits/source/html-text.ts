// Plain-text rendering of a message's HTML body, and entity decoding, for every source: targets index and
// preview `bodyText`, so it must read like the message (line breaks kept, entities decoded), not like markup.
// Entity decoding is the `entities` library's (the full WHATWG table), not a hand-kept list.
import { decodeHTML } from 'entities'

/** Decodes named and numeric character references (HTML5 rules); unknown names stay as written. */
export function decodeEntities(text: string): string {
  return decodeHTML(text)
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
  // A no-break space is layout, not content: plain text gets an ordinary one.
  return decodeEntities(text)
    .replace(/\u00a0/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim()
}
