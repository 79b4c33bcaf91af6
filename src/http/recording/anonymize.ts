// `--anonymize`: names, emails, phone numbers and bodies replaced by deterministic fakes. The same input gives
// the same fake everywhere in the recording (and in every re-recording with the same salt), so a customer's
// email in a listing, in a thread and in a search query stays one fake address and threading holds. Ids,
// dates, statuses, URLs (but for emails inside them) and the shape of every payload are kept; lengths are
// kept word by word, so sizes stay about the same. Binary bodies keep their length and first bytes (the
// magic number that tells a PNG from a PDF), the rest become deterministic noise.
import { createHash } from 'node:crypto'

const EMAIL = /[A-Za-z0-9._%+-]+@([A-Za-z0-9-]+\.)+[A-Za-z]{2,}/g
const EMAIL_PART = /([A-Za-z0-9._%+-]+@(?:[A-Za-z0-9-]+\.)+[A-Za-z]{2,})/
const NAME_KEY = /^(first_?name|last_?name|full_?name|display_?name|name|nickname|alias|sender_?name|company|job_?title|organization|organisation)$/i
const BODY_KEY = /^(body|text|html|html_?body|plain_?body|content|preview|snippet|subject|description|notes?|comment|message|signature|details|address|street|lines?|city|location|bio|background|about|alt|title|postal_?code|zip)$/i
const VALUE_KEY = /^(value|number|handle)$/i
const HANDLE_CONTEXT = /chat|social/i
const PHONE_KEY = /phone|mobile|fax/i
const FILE_KEY = /^(file_?name|filename|original_?filename)$/i
const FIRST = ['Alex', 'Sam', 'Robin', 'Kim', 'Jo', 'Morgan', 'Charlie', 'Jamie', 'Taylor', 'Casey', 'Riley', 'Drew', 'Avery', 'Quinn', 'Rowan', 'Sasha']
const LAST = ['Smith', 'Jones', 'Brown', 'Garcia', 'Miller', 'Davis', 'Wilson', 'Moore', 'Clark', 'Lewis', 'Walker', 'Young', 'Hill', 'Green', 'Baker', 'Adams']
const VOWELS = 'aeiou'
const CONSONANTS = 'bcdfghjklmnprstvwz'

export class Anonymizer {
  private readonly salt: string

  constructor(salt = '') {
    this.salt = salt
  }

  private hash(kind: string, value: string): Buffer {
    return createHash('sha256').update(`${this.salt}\u0000${kind}\u0000${value}`).digest()
  }

  /**
   * A JSON value with every personal string replaced. `key` is the property it sits under, `context` the
   * property of the object around it: a phone's `value` in `phones: [{ value }]` is a phone number.
   */
  json(value: unknown, key = '', context = ''): unknown {
    if (typeof value === 'string') return this.field(key, value, context)
    if (Array.isArray(value)) return value.map((v) => this.json(v, key, context))
    if (value && typeof value === 'object') {
      const out: Record<string, unknown> = {}
      for (const [k, v] of Object.entries(value)) out[k] = this.json(v, k, key || context)
      return out
    }
    return value
  }

  /** One string under a known key; any other string only has its emails replaced. */
  field(key: string, value: string, context = ''): string {
    if (value === '') return value
    if (FILE_KEY.test(key)) return this.fileName(value)
    if (NAME_KEY.test(key) && !value.includes('@')) return this.name(value)
    if (PHONE_KEY.test(key) || (VALUE_KEY.test(key) && PHONE_KEY.test(context))) return this.digits(value)
    // A chat or social handle (`chats: [{ value: "skype.name" }]`) identifies a person like a name.
    if (BODY_KEY.test(key) || (VALUE_KEY.test(key) && HANDLE_CONTEXT.test(context) && !value.includes('@'))) return this.prose(value)
    return this.emails(value)
  }

  /** Emails inside any text (URLs, queries, headers). */
  emails(text: string): string {
    return text.replace(EMAIL, (e) => this.email(e))
  }

  email(address: string): string {
    const at = address.lastIndexOf('@')
    const local = address.slice(0, at).toLowerCase()
    const domain = address.slice(at + 1).toLowerCase()
    const h = this.hash('email-local', local)
    // The domain separately: colleagues keep sharing one (fake) domain, so matching by domain still works.
    const d = this.hash('email-domain', domain)
    return `${FIRST[h[0]! % FIRST.length]!.toLowerCase()}.${LAST[h[1]! % LAST.length]!.toLowerCase()}${h.readUInt16BE(2) % 1000}@${this.word(d, 6)}.example.com`
  }

  name(value: string): string {
    const h = this.hash('name', value.trim().toLowerCase())
    const parts = value.trim().split(/\s+/)
    if (parts.length === 1) return FIRST[h[0]! % FIRST.length]!
    return `${FIRST[h[0]! % FIRST.length]!} ${LAST[h[1]! % LAST.length]!}`
  }

  /** Text or HTML: tags, attributes (but `alt`/`title`), entities and punctuation kept; every word a fake of its length. */
  prose(value: string): string {
    const rng = this.stream('prose', value)
    // Emails (odd parts of the split) get their consistent fake; every other word a fake of its length.
    const words = (text: string): string =>
      text
        .split(EMAIL_PART)
        .map((part, i) => (i % 2 === 1 ? this.email(part) : part.replace(/[\p{L}\p{N}]+/gu, (w) => (/^\d+$/.test(w) ? w.replace(/\d/g, () => String(rng() % 10)) : this.fakeWord(rng, w.length, /^\p{Lu}/u.test(w))))))
        .join('')
    if (!/<[a-z!/]/i.test(value)) return words(value)
    return value.replace(/(<[^>]*>)|([^<]+)/g, (_m, tag: string | undefined, text: string | undefined) => {
      if (tag !== undefined) return this.tag(tag)
      return text!.replace(/(&[#\w]+;)|([^&]+)/g, (_e, entity: string | undefined, plain: string | undefined) => entity ?? words(plain!))
    })
  }

  private tag(tag: string): string {
    return this.emails(tag).replace(/\b(alt|title)=("([^"]*)"|'([^']*)')/gi, (_m, attr: string, _q, dq: string | undefined, sq: string | undefined) => {
      const text = dq ?? sq ?? ''
      return `${attr}="${this.prose(text)}"`
    })
  }

  digits(value: string): string {
    const rng = this.stream('digits', value)
    return value.replace(/\d/g, () => String(rng() % 10))
  }

  /** `Invoice March.pdf` → `Tovaker Bimo.pdf`: the extension stays, it decides how a file is shown. */
  fileName(value: string): string {
    const dot = value.lastIndexOf('.')
    const [stem, ext] = dot > 0 ? [value.slice(0, dot), value.slice(dot)] : [value, '']
    return `${this.prose(stem)}${ext}`
  }

  /**
   * Bytes at `offset` of a body seeded by `seed`: same length, the first `keep` bytes of the body (the file
   * type's magic number) as they were, the rest deterministic noise — the same whatever the chunking.
   */
  bytes(seed: string, offset: number, chunk: Uint8Array, keep = 16): Buffer {
    const out = Buffer.alloc(chunk.length)
    let blockNo = -1
    let block: Buffer = Buffer.alloc(0)
    for (let i = 0; i < chunk.length; i++) {
      const at = offset + i
      if (at < keep) {
        out[i] = chunk[i]!
        continue
      }
      if (Math.floor(at / 32) !== blockNo) {
        blockNo = Math.floor(at / 32)
        block = this.hash('bytes', `${seed}:${blockNo}`)
      }
      out[i] = block[at % 32]!
    }
    return out
  }

  private word(h: Buffer, length: number): string {
    let s = ''
    for (let i = 0; i < length; i++) s += i % 2 === 0 ? CONSONANTS[h[i % h.length]! % CONSONANTS.length] : VOWELS[h[i % h.length]! % VOWELS.length]
    return s
  }

  private fakeWord(rng: () => number, length: number, capital: boolean): string {
    let s = ''
    for (let i = 0; i < length; i++) s += i % 2 === 0 ? CONSONANTS[rng() % CONSONANTS.length] : VOWELS[rng() % VOWELS.length]
    return capital ? s.charAt(0).toUpperCase() + s.slice(1) : s
  }

  /** A byte stream seeded by the value: the same text always gets the same fake words. */
  private stream(kind: string, value: string): () => number {
    let block = this.hash(kind, value)
    let i = 0
    return () => {
      if (i === block.length) {
        block = createHash('sha256').update(block).digest()
        i = 0
      }
      return block[i++]!
    }
  }
}
