// A generated canonical dataset for the fault tests and the bench: `n` tickets of one customer each, every one
// with a customer message (and an attachment), an agent reply and an internal note.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createHash } from 'node:crypto'
import { makeAttachment, makeCustomer, makeMessage, makeTicket } from '../../../src/testing/canonical-factories.js'
import { stageDataset, type StagedDataset } from '../../../src/testing/target-datasets.js'

export async function generatedDataset(n: number, o: { messages?: number } = {}): Promise<StagedDataset> {
  const dir = mkdtempSync(join(tmpdir(), 'deskmove-zn-gen-'))
  const lines: unknown[] = []
  const perTicket = Math.max(1, o.messages ?? 3)
  for (let i = 1; i <= n; i++) {
    const c = makeCustomer(`c${i}`, { emails: [{ value: `customer${i}@acme.test`, type: 'work' }] })
    lines.push(c)
    const t = makeTicket(`t${i}`, { subject: `Generated ticket ${i}`, status: i % 3 === 0 ? 'closed' : 'open', vendorStatus: i % 3 === 0 ? 'closed' : 'active', customerRef: { kind: 'customer', sourceId: c.sourceId }, createdByRef: { kind: 'customer', sourceId: c.sourceId } })
    lines.push(t)
    for (let p = 0; p < perTicket; p++) {
      const kind = p === 0 ? 'customer_message' : p % 2 === 1 ? 'agent_reply' : 'internal_note'
      const author = kind === 'customer_message' ? { role: 'customer' as const, ref: { kind: 'customer' as const, sourceId: c.sourceId }, name: `Customer ${i}`, email: `customer${i}@acme.test` } : { role: 'agent' as const, ref: null, name: 'Ada Agent', email: 'ada@acme.test' }
      lines.push(makeMessage(`t${i}-m${p}`, t.sourceId, p, { type: kind, author, from: author.email, to: kind === 'agent_reply' ? [`customer${i}@acme.test`] : [], bodyHtml: `<p>${kind} ${p} of ticket ${i}</p>`, bodyText: `${kind} ${p} of ticket ${i}` }))
    }
    const text = `attachment of ticket ${i}\n`
    lines.push({ $blob: { text } })
    lines.push(makeAttachment(`t${i}-a0`, t.sourceId, `t${i}-m0`, { fileName: `notes-${i}.txt`, contentType: 'text/plain', size: text.length, sha256: createHash('sha256').update(text).digest('hex') }))
  }
  writeFileSync(join(dir, 'generated.jsonl'), lines.map((l) => JSON.stringify(l)).join('\n') + '\n')
  const ds = await stageDataset(dir, 'generated')
  rmSync(dir, { recursive: true, force: true })
  return ds
}
