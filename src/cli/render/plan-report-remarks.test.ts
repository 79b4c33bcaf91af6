// The plan report's "Target remarks" section: the target's word on the plan as a whole, before the per-record notices.
import { describe, expect, it } from 'vitest'
import { planFileSchema, type PlanFile } from '../../engine/plan-file.js'
import { renderPlanHtml, renderPlanMarkdown } from './plan-report.js'

function plan(over: Partial<PlanFile> = {}): PlanFile {
  return planFileSchema.parse({
    format: 'deskmove-plan/1',
    source: 'zendesk',
    target: 'znuny',
    createdAt: '2025-01-01T00:00:00.000Z',
    fingerprints: { staging: 'aaa', target: 'bbb', config: 'ccc' },
    counts: { ticket: { create: 3, update: 0, unchanged: 0, skip: 0, rejected: 0 } },
    changesPending: true,
    records: [],
    notices: [{ kind: 'ticket', sourceId: 't1', text: 'owner a9 has no Znuny agent' }],
    identity: [],
    ...over,
  })
}

const remarks: PlanFile['remarks'] = [
  { level: 'warning', topic: 'e-mail', text: "Znuny's SendmailModule is Kernel::System::Email::SMTP <not DoNotSendEmail>" },
  { level: 'info', topic: 'database step', text: 'run LAST; customer users: 2' },
]

describe('plan report: target remarks', () => {
  it('lists each remark with its level, warnings visibly, before the notices (Markdown)', () => {
    const md = renderPlanMarkdown(plan({ remarks }))
    expect(md).toContain('## Target remarks')
    expect(md).toContain("| WARNING | e-mail | Znuny's SendmailModule is Kernel::System::Email::SMTP &lt;not DoNotSendEmail&gt; |")
    expect(md).toContain('| info | database step | run LAST; customer users: 2 |')
    expect(md.indexOf('## Target remarks')).toBeLessThan(md.indexOf('## Notices'))
  })

  it('lists them in the HTML report too, escaped', () => {
    const html = renderPlanHtml(plan({ remarks }))
    expect(html).toContain('<h2>Target remarks</h2>')
    expect(html).toContain('<td>WARNING</td><td>e-mail</td><td>Znuny&#39;s SendmailModule is Kernel::System::Email::SMTP &lt;not DoNotSendEmail&gt;</td>')
    expect(html.indexOf('<h2>Target remarks</h2>')).toBeLessThan(html.indexOf('<h2>Notices</h2>'))
  })

  it('has no section when the target made no remarks (an older plan file has none)', () => {
    const p = plan()
    expect(p.remarks).toEqual([])
    expect(renderPlanMarkdown(p)).not.toContain('Target remarks')
    expect(renderPlanHtml(p)).not.toContain('Target remarks')
  })
})
