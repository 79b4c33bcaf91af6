import { describe, expect, it } from 'vitest'
import { planFileSchema, type PlanFile } from '../../engine/plan-file.js'
import { REPORT_LIST_LIMIT, escapeMarkdown, renderPlanHtml, renderPlanMarkdown } from './plan-report.js'

const XSS = '<script>alert("x")</script>'

function plan(over: Partial<PlanFile> = {}): PlanFile {
  return planFileSchema.parse({
    format: 'deskmove-plan/1',
    source: 'helpscout',
    target: 'freescout',
    createdAt: '2025-01-01T00:00:00.000Z',
    fingerprints: { staging: 'aaa', target: 'bbb', config: 'ccc' },
    counts: {
      agent: { create: 1, update: 0, unchanged: 2, skip: 0, rejected: 0 },
      customer: { create: 7, update: 0, unchanged: 0, skip: 1, rejected: 0 },
      ticket: { create: 41, update: 1, unchanged: 3, skip: 2, rejected: 0 },
    },
    changesPending: true,
    records: [
      { kind: 'ticket', sourceId: 't9', action: 'update', opHash: 'h', targetRef: '12', changes: [{ field: 'subject', before: 'Old subject', after: XSS }, { field: 'status', before: 1, after: 3 }] },
      { kind: 'ticket', sourceId: 't7', action: 'skip', opHash: null, reason: 'unmapped', detail: 'no FreeScout mailbox for source group g9' },
      { kind: 'ticket', sourceId: 't8', action: 'skip', opHash: null, reason: 'no-customer', detail: `ticket t8 | has ${XSS}` },
      { kind: 'customer', sourceId: 'c5', action: 'skip', opHash: null, reason: 'invalid', detail: 'customer c5 has no usable email address' },
    ],
    notices: [{ kind: 'agent', sourceId: 'a2', text: 'agent Bob <bob@acme.test> has no FreeScout user: a disabled user bob@acme.test is created' }],
    identity: [
      { sourceId: 'c2', decision: 'merged-into-source', email: 'dan@example.test', into: 'c1', why: 'shares dan@example.test with source customer c1' },
      { sourceId: 'c3', decision: 'matched-existing', email: 'eve@example.test', into: '44', why: 'FreeScout already has customer 44 with eve@example.test' },
      { sourceId: 'c4', decision: 'placeholder-email', email: 'noemail+c4@placeholder.example', into: null, why: 'the source customer has no email address' },
    ],
    ...over,
  })
}

describe('renderPlanMarkdown', () => {
  const md = renderPlanMarkdown(plan())

  it('contains the counts per kind and the totals', () => {
    expect(md).toContain('| ticket | 41 | 1 | 3 | 2 |')
    expect(md).toContain('| customer | 7 | 0 | 0 | 1 |')
    expect(md).toContain('Changes pending: 49 to create, 1 to update; 5 unchanged, 3 skipped.')
  })

  it('lists skips with reasons, unmapped values, field changes, identity decisions and notices', () => {
    expect(md).toContain('| ticket t7 | unmapped | no FreeScout mailbox for source group g9 |')
    expect(md).toMatch(/## Unmapped values[\s\S]*\| no FreeScout mailbox for source group g9 \| 1 \|/)
    expect(md).toContain('| ticket t9 | 12 | status | 1 | 3 |')
    expect(md).toMatch(/\| c2 \| earlier source customer \| dan@example.test \| c1 \| shares/)
    expect(md).toMatch(/\| c3 \| existing freescout customer \| eve@example.test \| 44 \|/)
    expect(md).toContain('| c4 | noemail+c4@placeholder.example |')
    expect(md).toContain('agent Bob &lt;bob@acme.test&gt; has no FreeScout user')
  })

  it('escapes markup and table separators coming from the data', () => {
    expect(md).not.toContain('<script>')
    expect(md).toContain('&lt;script&gt;alert("x")&lt;/script&gt;')
    expect(md).toContain('ticket t8 \\| has')
    expect(escapeMarkdown('a*b_c [x](y) `z`\nnext')).toBe('a\\*b\\_c \\[x\\](y) \\`z\\` next')
  })

  it('says when nothing is pending, and cuts long lists with a count of the rest', () => {
    const many = Array.from({ length: REPORT_LIST_LIMIT + 5 }, (_, i) => ({ kind: 'ticket' as const, sourceId: `s${i}`, action: 'skip' as const, opHash: null, reason: 'invalid', detail: 'bad' }))
    const out = renderPlanMarkdown(plan({ records: many, changesPending: false }))
    expect(out).toContain('No changes pending')
    expect(out).toContain('… and 5 more (see plan.json).')
    expect(out).not.toContain(`ticket s${REPORT_LIST_LIMIT} |`)
  })
})

describe('renderPlanHtml', () => {
  const html = renderPlanHtml(plan())

  it('is one self-contained document without scripts or external assets', () => {
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true)
    expect(html).not.toMatch(/<script|<link|<img|src=|href=|@import|url\(/i)
    expect(html).toContain("default-src 'none'")
  })

  it('escapes everything from the data', () => {
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;')
    expect(html).toContain('agent Bob &lt;bob@acme.test&gt;')
  })

  it('contains the counts, the field changes and the identity decisions', () => {
    expect(html).toContain('<tr><td>ticket</td><td class="n">41</td><td class="n">1</td><td class="n">3</td><td class="n">2</td></tr>')
    expect(html).toContain('<td>subject</td><td>Old subject</td>')
    expect(html).toContain('<h3>Merged customers</h3>')
    expect(html).toContain('<h3>Placeholder emails</h3>')
    expect(html).toContain('<h2>Notices</h2>')
  })
})

describe('plan report: every kind written, target values by name', () => {
  const md = renderPlanMarkdown(
    plan({
      contents: { message: { create: 120, update: 3 }, attachment: { create: 9, update: 0 }, tag: { create: 14, update: 0 }, custom_field: { create: 6, update: 1 } },
      mapping: [
        { section: 'statuses', value: 'closed', count: 16, target: 'active', byDefault: false },
        { section: 'mailboxes', value: '3001', valueName: 'Billing <billing@acme.test>', count: 25, target: 'Support <support@x.test>', byDefault: true },
      ],
      labels: { status: { '1': 'active', '3': 'closed' } },
    }),
  )
  it('lists messages, attachments, tags and custom field values, and where custom fields go without the module', () => {
    expect(md).toContain('| messages | 120 | 3 |')
    expect(md).toContain('| custom field values | 6 | 1 |')
    expect(md).toMatch(/kept in the conversation’s import note/)
  })
  it('shows the mapping and field changes by name, not numeric codes', () => {
    expect(md).toContain('| statuses | closed | 16 | active |')
    expect(md).toContain('| mailboxes | 3001 Billing &lt;billing@acme.test&gt; | 25 | Support &lt;support@x.test&gt; (by default) |')
    expect(md).toContain('| ticket t9 | 12 | status | active | closed |')
  })
})
