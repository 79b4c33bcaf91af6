// The plan as a report for a person: Markdown for review in a pull request or terminal, and one
// self-contained HTML file (inline CSS, no scripts, no external assets). Every value from staging or the
// target is escaped: subjects and names are vendor data and may hold markup.
import type { PlanFile, PlanRecord } from '../../engine/plan-file.js'

/** Rows listed per section; the rest are counted ("… and N more") and are all in plan.json. */
export const REPORT_LIST_LIMIT = 200

interface Table {
  readonly headers: readonly string[]
  readonly rows: readonly (readonly string[])[]
  /** Rows left out by the limit. */
  readonly more: number
}

interface Section {
  readonly title: string
  readonly text: readonly string[]
  readonly tables: readonly { readonly caption?: string; readonly table: Table }[]
}

function clip(s: string, max = 300): string {
  return s.length > max ? `${s.slice(0, max - 1)}…` : s
}

/** A field value as a person reads it: empty for null, strings as they are, the rest as JSON. */
export function formatFieldValue(v: unknown): string {
  if (v === null || v === undefined || v === '') return '(empty)'
  return clip(typeof v === 'string' ? v : JSON.stringify(v))
}

function table(headers: string[], all: readonly string[][]): Table {
  return { headers, rows: all.slice(0, REPORT_LIST_LIMIT), more: Math.max(0, all.length - REPORT_LIST_LIMIT) }
}

const rec = (r: PlanRecord) => `${r.kind} ${r.sourceId}`

const PART_NAMES: Readonly<Record<string, string>> = { message: 'messages', attachment: 'attachments', tag: 'tags', custom_field: 'custom field values', organization: 'organisations (on customers)' }

/** A target value by the name the target gives it (status 3 → closed), else as it is. */
function named(plan: PlanFile, field: string, v: unknown): string {
  const name = v === null || v === undefined ? undefined : plan.labels?.[field]?.[String(v)]
  return name ?? formatFieldValue(v)
}

/** The report's content, independent of the output format. */
function sections(plan: PlanFile): Section[] {
  const out: Section[] = []
  // The plan lists kinds in the target's declared load order (organizations first for a target that has them).
  const kinds = Object.keys(plan.counts)
  const counts = kinds.map((k) => {
    const c = plan.counts[k as keyof PlanFile['counts']]!
    return [k, String(c.create), String(c.update), String(c.unchanged), String(c.skip)]
  })
  const total = (f: 'create' | 'update' | 'unchanged' | 'skip') => Object.values(plan.counts).reduce((n, c) => n + (c?.[f] ?? 0), 0)
  out.push({
    title: 'Summary',
    text: [
      `Plan for ${plan.source} → ${plan.target}, made ${plan.createdAt}.`,
      plan.changesPending
        ? `Changes pending: ${total('create')} to create, ${total('update')} to update; ${total('unchanged')} unchanged, ${total('skip')} skipped.`
        : `No changes pending: ${total('unchanged')} unchanged, ${total('skip')} skipped.`,
    ],
    tables: [{ table: table(['Kind', 'Create', 'Update', 'Unchanged', 'Skip'], counts) }],
  })

  const carried = Object.entries(plan.contents ?? {}).filter(([, c]) => c.create + c.update > 0)
  if (carried.length) {
    out.push({
      title: 'What the written records carry',
      text: [
        'Besides the records above, the tickets written carry their messages, attachments, tags and custom field values, and customers their organisation.',
        'Tags and custom fields go into the target’s own modules when it has them; where it does not (e.g. FreeScout without its Tags or Custom Fields module, or a field it lacks), they are kept in the conversation’s import note instead.',
      ],
      tables: [{ table: table(['Part', 'In created records', 'In updated records'], carried.map(([k, c]) => [PART_NAMES[k] ?? k, String(c.create), String(c.update)])) }],
    })
  }

  if (plan.mapping?.length) {
    out.push({
      title: 'Mapping',
      text: [`Where each source value goes in ${plan.target}, as deskmove.json maps it (by default = through the "*" entry).`],
      tables: [{ table: table(['Section', 'Source value', 'Records', `${plan.target} value`], plan.mapping.map((m) => [m.section, m.valueName ? `${m.value} ${m.valueName}` : m.value, String(m.count), `${m.target}${m.byDefault ? ' (by default)' : ''}`])) }],
    })
  }

  const skips = plan.records.filter((r) => r.action === 'skip')
  if (skips.length) {
    const byReason = new Map<string, number>()
    for (const r of skips) byReason.set(r.reason ?? 'unknown', (byReason.get(r.reason ?? 'unknown') ?? 0) + 1)
    out.push({
      title: 'Skipped records',
      text: ['These are not written; each becomes a reject (listed by deskmove rejects) with the reason below.'],
      tables: [
        { caption: 'By reason', table: table(['Reason', 'Records'], [...byReason].sort((a, b) => b[1] - a[1]).map(([r, n]) => [r, String(n)])) },
        { caption: 'Records', table: table(['Record', 'Reason', 'Detail'], skips.map((r) => [rec(r), r.reason ?? '', r.detail ?? ''])) },
      ],
    })
  }

  const unmapped = new Map<string, number>()
  for (const r of skips) if (r.reason === 'unmapped') unmapped.set(r.detail ?? '', (unmapped.get(r.detail ?? '') ?? 0) + 1)
  if (unmapped.size) {
    out.push({
      title: 'Unmapped values',
      text: ['Add these to the mapping in deskmove.json (or a "*" default) and plan again.'],
      tables: [{ table: table(['Value', 'Records'], [...unmapped].sort((a, b) => b[1] - a[1]).map(([d, n]) => [d, String(n)])) }],
    })
  }

  const updates = plan.records.filter((r) => r.action === 'update')
  if (updates.length) {
    const rows = updates.flatMap((r) =>
      (r.changes?.length ? r.changes : [{ field: '(no field-level change; the content hash differs)', before: null, after: null }]).map((c) => [
        rec(r),
        r.targetRef ?? '',
        c.field,
        named(plan, c.field, c.before),
        named(plan, c.field, c.after),
      ]),
    )
    out.push({ title: 'Updates', text: [`${updates.length} record(s) already in ${plan.target} change:`], tables: [{ table: table(['Record', 'Target id', 'Field', 'Before', 'After'], rows) }] })
  }

  const merged = plan.identity.filter((d) => d.decision === 'merged-into-source' || d.decision === 'matched-existing')
  const placeholders = plan.identity.filter((d) => d.decision === 'placeholder-email')
  const noEmail = plan.identity.filter((d) => d.decision === 'rejected-no-email')
  if (merged.length || placeholders.length || noEmail.length) {
    const tables: Section['tables'][number][] = []
    if (merged.length)
      tables.push({
        caption: 'Merged customers',
        table: table(
          ['Customer', 'Decision', 'Email', 'Into', 'Why'],
          merged.map((d) => [d.sourceId, d.decision === 'matched-existing' ? `existing ${plan.target} customer` : 'earlier source customer', d.email ?? '', d.into ?? '', d.why]),
        ),
      })
    if (placeholders.length) tables.push({ caption: 'Placeholder emails', table: table(['Customer', 'Placeholder', 'Why'], placeholders.map((d) => [d.sourceId, d.email ?? '', d.why])) })
    if (noEmail.length) tables.push({ caption: 'Rejected for lack of an email', table: table(['Customer', 'Why'], noEmail.map((d) => [d.sourceId, d.why])) })
    out.push({ title: 'Identity decisions', text: ['How source customers become target customers, where it is not one-to-one.'], tables })
  }

  if (plan.alterations) {
    const a = plan.alterations
    out.push({
      title: 'Alterations',
      text: [
        `${a.total} value(s) in ${a.records} record(s) do not fit the target as they are and are changed by a stated rule (a text over the column's length is cut, ending in "…"; NUL bytes are removed; invalid Unicode becomes U+FFFD; an unstorable address is left out). The full values are kept in each conversation's import note (a customer's: in its notes). verify reports these records as altered-by-rule (a).`,
      ],
      tables: [
        { caption: 'By rule and field', table: table(['Rule: field', 'Values'], Object.entries(a.byRule).sort((x, y) => y[1] - x[1]).map(([g, n]) => [g, String(n)])) },
        { caption: 'Values', table: table(['Record', 'Field', 'Rule', 'Detail'], a.list.map((x) => [`${x.kind} ${x.sourceId}`, x.field, x.rule, x.detail])) },
      ],
    })
  }

  if (plan.remarks.length) {
    out.push({
      title: 'Target remarks',
      text: [`What the ${plan.target} target says about this plan as a whole; a warning is something to settle before applying.`],
      tables: [{ table: table(['Level', 'Topic', 'Remark'], plan.remarks.map((r) => [r.level === 'warning' ? 'WARNING' : 'info', r.topic, r.text])) }],
    })
  }

  if (plan.notices.length) {
    out.push({ title: 'Notices', text: ['Decisions to review before applying.'], tables: [{ table: table(['Record', 'Notice'], plan.notices.map((n) => [`${n.kind} ${n.sourceId}`, n.text])) }] })
  }
  return out
}

// ---------------------------------------------------------------- Markdown

/** Escapes text for a Markdown table cell: markup characters are backslash-escaped, HTML becomes entities. */
export function escapeMarkdown(s: string): string {
  return s
    .replace(/[\r\n]+/g, ' ')
    .replace(/[\\`*_[\]|~#]/g, (c) => `\\${c}`)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
}

function mdTable(t: Table): string[] {
  const row = (cells: readonly string[]) => `| ${cells.map(escapeMarkdown).join(' | ')} |`
  const lines = [row(t.headers), `|${t.headers.map(() => ' --- |').join('')}`, ...t.rows.map(row)]
  if (t.more) lines.push('', `… and ${t.more} more (see plan.json).`)
  return lines
}

/** The plan as Markdown. */
export function renderPlanMarkdown(plan: PlanFile): string {
  const lines = [`# deskmove plan: ${escapeMarkdown(plan.source)} → ${escapeMarkdown(plan.target)}`, '']
  for (const s of sections(plan)) {
    lines.push(`## ${escapeMarkdown(s.title)}`, '')
    for (const p of s.text) lines.push(escapeMarkdown(p), '')
    for (const t of s.tables) {
      if (t.caption) lines.push(`### ${escapeMarkdown(t.caption)}`, '')
      lines.push(...mdTable(t.table), '')
    }
  }
  lines.push(`Fingerprints: staging ${plan.fingerprints.staging}, target ${plan.fingerprints.target}, mapping ${plan.fingerprints.config}.`, '')
  return lines.join('\n')
}

// ---------------------------------------------------------------- HTML

/** Escapes text for HTML element content and attribute values. */
export function escapeHtmlText(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;')
}

const CSS = `body{font:14px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:72rem;padding:0 1rem;color:#1b1f23}
h1{font-size:1.5rem}h2{font-size:1.2rem;margin-top:2rem;border-bottom:1px solid #d0d7de}h3{font-size:1rem}
table{border-collapse:collapse;margin:.5rem 0 1rem;width:100%}th,td{border:1px solid #d0d7de;padding:.25rem .5rem;text-align:left;vertical-align:top;word-break:break-word}
th{background:#f6f8fa}td.n{text-align:right;font-variant-numeric:tabular-nums}.more,.fp{color:#57606a}`

function htmlTable(t: Table): string {
  const numeric = (v: string) => /^\d+$/.test(v)
  const head = `<tr>${t.headers.map((h) => `<th>${escapeHtmlText(h)}</th>`).join('')}</tr>`
  const body = t.rows.map((r) => `<tr>${r.map((c) => `<td${numeric(c) ? ' class="n"' : ''}>${escapeHtmlText(c)}</td>`).join('')}</tr>`).join('\n')
  const more = t.more ? `\n<p class="more">… and ${t.more} more (see plan.json).</p>` : ''
  return `<table>\n<thead>${head}</thead>\n<tbody>\n${body}\n</tbody>\n</table>${more}`
}

/** The plan as one self-contained HTML document. */
export function renderPlanHtml(plan: PlanFile): string {
  const title = `deskmove plan: ${plan.source} → ${plan.target}`
  const parts = [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    // No network, no scripts: the report is opened from disk by whoever reviews the migration.
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">`,
    `<title>${escapeHtmlText(title)}</title>`,
    `<style>${CSS}</style>`,
    '</head>',
    '<body>',
    `<h1>${escapeHtmlText(title)}</h1>`,
  ]
  for (const s of sections(plan)) {
    parts.push(`<h2>${escapeHtmlText(s.title)}</h2>`)
    for (const p of s.text) parts.push(`<p>${escapeHtmlText(p)}</p>`)
    for (const t of s.tables) {
      if (t.caption) parts.push(`<h3>${escapeHtmlText(t.caption)}</h3>`)
      parts.push(htmlTable(t.table))
    }
  }
  parts.push(
    `<p class="fp">Fingerprints: staging ${escapeHtmlText(plan.fingerprints.staging)}, target ${escapeHtmlText(plan.fingerprints.target)}, mapping ${escapeHtmlText(plan.fingerprints.config)}.</p>`,
    '</body>',
    '</html>',
    '',
  )
  return parts.join('\n')
}
