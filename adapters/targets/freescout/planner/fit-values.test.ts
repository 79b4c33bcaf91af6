import { describe, expect, it } from 'vitest'
import { ValueFitter, truncateWithEllipsis } from './fit-values.js'

describe('fitting values by rule', () => {
  it('cuts by code points with an ellipsis last, never splitting an emoji', () => {
    expect(truncateWithEllipsis('😀'.repeat(10), 4)).toBe('😀😀😀…')
    expect(truncateWithEllipsis('abc', 3)).toBe('abc')
  })

  it('records each change with its rule and keeps the full value', () => {
    const fit = new ValueFitter()
    expect(fit.fit('tag', 'x'.repeat(200), 191)).toHaveLength(191)
    expect(fit.clean('subject', 'a\u0000b\uD800')).toBe('ab\uFFFD')
    fit.droppedAddresses('conversation cc', ['ok@example.test', `${'a'.repeat(200)}@example.test`])
    expect(fit.alterations.map((a) => `${a.rule} ${a.field}`)).toEqual(['truncated tag', 'nul-removed subject', 'invalid-unicode-replaced subject', 'dropped conversation cc'])
    expect(fit.fullValues[0]).toBe(`The full tag (cut to 191 characters): ${'x'.repeat(200)}`)
    expect(fit.fullValues[1]).toContain(`${'a'.repeat(200)}@example.test`)
  })

  it('leaves values that fit alone', () => {
    const fit = new ValueFitter()
    fit.fit('subject', 'short', 998)
    fit.clean('subject', 'plain')
    fit.droppedAddresses('conversation cc', ['ok@example.test', null])
    expect(fit.alterations).toEqual([])
  })
})
