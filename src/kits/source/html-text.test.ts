import { describe, expect, it } from 'vitest'
import { decodeEntities, htmlToText } from './html-text.js'

describe('htmlToText', () => {
  it('turns paragraphs and breaks into lines', () => {
    expect(htmlToText('<p>Hello</p><p>World<br>again</p>')).toBe('Hello\n\nWorld\nagain')
  })
  it('drops scripts, styles and comments but keeps their neighbours', () => {
    expect(htmlToText('<p>Hi</p><script>alert("x")</script><style>p{}</style><!-- c --><p onclick="x()">there</p>')).toBe('Hi\n\nthere')
  })
  it('treats source line breaks as spaces', () => {
    expect(htmlToText('<p>one\n  two</p>')).toBe('one two')
  })
  it('decodes entities after stripping, so encoded markup stays literal text', () => {
    expect(htmlToText('<p>&lt;b&gt;not bold&lt;/b&gt; &amp; caf&eacute; &#x1F600; &#233;</p>')).toBe('<b>not bold</b> & café 😀 é')
  })
  it('leaves single spaces where inline tags were removed', () => {
    expect(htmlToText('let me know <if> this works, <b>ok</b>')).toBe('let me know this works, ok')
  })
  it('passes plain text through', () => {
    expect(htmlToText('Grüße aus Köln 🇩🇪')).toBe('Grüße aus Köln 🇩🇪')
    expect(htmlToText('')).toBe('')
  })
})

describe('decodeEntities', () => {
  it('composes accented letters, keeping their case', () => {
    expect(decodeEntities('&Uuml;ber &ccedil;a &szlig; &Aring;')).toBe('Über ça ß Å')
  })
  it('leaves unknown references alone and follows HTML5 for invalid ones', () => {
    expect(decodeEntities('&bogus; &#0; &nbsp;x')).toBe('&bogus; \ufffd \u00a0x')
  })
  it('knows the whole HTML5 table, not a hand-kept list', () => {
    expect(decodeEntities('&Omega; &rarr; &frac12; &hearts;')).toBe('Ω → ½ ♥')
  })
  it('renders a no-break space as a plain space in text', () => {
    expect(htmlToText('<p>a&nbsp;b</p>')).toBe('a b')
  })
})
