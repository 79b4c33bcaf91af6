// PURE: fitting values into what FreeScout's columns hold, by stated rules, with every change recorded.
// Nothing is changed without a word: each alteration goes on the op (`WriteOpBase.alterations`, listed by
// `plan` and reported by `verify` as altered-by-rule) and the full value goes into the import note.
import type { Alteration } from '../../../../src/core/target.js'
import type { Message } from '../../../../src/core/model/message.js'
import type { Ticket } from '../../../../src/core/model/ticket.js'
import { cleanText, type CleanNotes } from '../plan-text.js'
import { sanitizeEmail } from '../plan-rows.js'
import { threadKindOf } from './rules.js'

/** Column limits in characters (FreeScout's migrations; see docs/freescout.md). */
export const FS_LIMITS = {
  /** `conversations.subject` varchar(998). */
  subject: 998,
  /** `tags.name` varchar(191). */
  tag: 191,
  /** `customers.first_name` / `last_name` varchar(255). */
  customerName: 255,
} as const

/** What a cut value ends with, so a reader sees it was cut. */
export const ELLIPSIS = '…'

/** Cuts to at most `max` characters (code points, as MySQL and PostgreSQL count them), the last one an ellipsis. */
export function truncateWithEllipsis(s: string, max: number): string {
  const chars = Array.from(s)
  return chars.length <= max ? s : chars.slice(0, max - 1).join('') + ELLIPSIS
}

const preview = (s: string, n = 60): string => {
  const chars = Array.from(s)
  return chars.length <= n ? s : `${chars.slice(0, n).join('')}…`
}

/** Collects the alterations of one op and the full values to keep beside the altered ones. */
export class ValueFitter {
  readonly alterations: Alteration[] = []
  /** Lines keeping the full values (the import note of a conversation, the notes of a customer). */
  readonly fullValues: string[] = []

  /** Cleans a text (see `cleanText`), recording what it changed; `into` also collects the flags. */
  clean(field: string, s: string, into?: CleanNotes): string {
    const n: CleanNotes = { nul: false, invalidUnicode: false }
    const out = cleanText(s, n)
    if (n.nul) this.alterations.push({ field, rule: 'nul-removed', detail: 'NUL bytes removed (neither database stores them in text)' })
    if (n.invalidUnicode) this.alterations.push({ field, rule: 'invalid-unicode-replaced', detail: 'invalid Unicode (unpaired surrogates) replaced with U+FFFD' })
    if (into) {
      into.nul ||= n.nul
      into.invalidUnicode ||= n.invalidUnicode
    }
    return out
  }

  /** Cuts a value longer than `max` characters to `max` (an ellipsis last), recording it and keeping the full value. */
  fit(field: string, s: string, max: number): string {
    const out = truncateWithEllipsis(s, max)
    if (out === s) return s
    this.alterations.push({ field, rule: 'truncated', detail: `${Array.from(s).length} characters cut to ${max} (ending in …); the full value is kept in the ${this.keptIn}` })
    this.fullValues.push(`The full ${field} (cut to ${max} characters): ${s}`)
    return out
  }

  /** Records a value another rule shortened (a file name cut in bytes), keeping the original. */
  replaced(field: string, before: string, after: string, why: string): void {
    if (before === after) return
    this.alterations.push({ field, rule: 'truncated', detail: `${why}: "${preview(before)}" → "${preview(after)}"; the full value is kept in the ${this.keptIn}` })
    this.fullValues.push(`The original ${field}: ${before}`)
  }

  /** Records addresses left out because FreeScout cannot store them (invalid, or over 191 characters). */
  droppedAddresses(field: string, xs: readonly (string | null)[]): void {
    for (const x of xs) {
      if (x === null || x.trim() === '' || sanitizeEmail(x) !== null) continue
      this.alterations.push({ field, rule: 'dropped', detail: `address "${preview(x)}" left out: not a storable email (invalid or over 191 characters)` })
      this.fullValues.push(`An address of the ${field} that was left out: ${x}`)
    }
  }

  constructor(private readonly keptIn = 'import note') {}
}

/** Records every address of a ticket and its messages that the planner leaves out. */
export function noteDroppedAddresses(fit: ValueFitter, t: Ticket, messages: readonly Message[]): void {
  fit.droppedAddresses('conversation cc', t.cc)
  fit.droppedAddresses('conversation bcc', t.bcc)
  for (const m of messages) {
    fit.droppedAddresses(`message ${m.sourceId} from`, [m.from])
    // A customer's message goes to the mailbox: its own `to` is not stored, so nothing of it is dropped.
    if (threadKindOf(m.type, m.event).kind !== 'customer') fit.droppedAddresses(`message ${m.sourceId} to`, m.to)
    fit.droppedAddresses(`message ${m.sourceId} cc`, m.cc)
    fit.droppedAddresses(`message ${m.sourceId} bcc`, m.bcc)
  }
}
