import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { attachmentDirPrefix, attachmentFileDir, attachmentTypeCode, attachmentUrl, capFileName, cleanMimeType, guardedPdfName, pdfNeedsGuard, referencedCids, rewriteCids, sanitizeFileName } from './plan-files.js'
import { bodyHtml, cleanText, textPreview, truncateChars } from './plan-text.js'

describe('file names', () => {
  it('turns separators, spaces and # into _ and never leaves a path', () => {
    expect(sanitizeFileName('a b#c.txt', '1')).toBe('a_b_c.txt')
    expect(sanitizeFileName('../../etc/passwd', '1')).toBe('_.._etc_passwd')
    expect(sanitizeFileName('dir\\file.txt', '1')).toBe('dir_file.txt')
    expect(sanitizeFileName('nul\u0000<>:"|?*.txt', '1')).toBe('nul.txt')
  })
  it('guards restricted extensions and falls back for empty names', () => {
    expect(sanitizeFileName('x.php', '1')).toBe('x.php_')
    expect(sanitizeFileName('run.SH', '1')).toBe('run.SH_')
    expect(sanitizeFileName('..', 'a/1')).toBe('attachment-a_1')
  })
  it('keeps the extension when cutting to 255 characters', () => {
    const long = sanitizeFileName('n'.repeat(400) + '.pdf', '1')
    expect(Array.from(long)).toHaveLength(255)
    expect(long.endsWith('.pdf')).toBe(true)
  })
  it('caps names in bytes (255) on a character boundary, keeping the extension', () => {
    for (const stem of ['é'.repeat(300), '😀'.repeat(100), '👩‍👩‍👧'.repeat(40), 'a' + 'é'.repeat(200)]) {
      const name = sanitizeFileName(`${stem}.pdf`, '1')
      expect(Buffer.byteLength(name)).toBeLessThanOrEqual(255)
      expect(Buffer.byteLength(name)).toBeGreaterThan(230)
      expect(name.endsWith('.pdf')).toBe(true)
      // Cut between characters: what is left is a prefix of the original made of whole characters.
      expect(stem.startsWith(name.slice(0, -4))).toBe(true)
      expect(Buffer.from(name).toString()).toBe(name)
    }
    // A ZWJ family emoji is never split into its parts.
    expect(sanitizeFileName('👩‍👩‍👧'.repeat(40) + '.pdf', '1').slice(0, -4).length % '👩‍👩‍👧'.length).toBe(0)
    expect(capFileName('short.txt')).toBe('short.txt')
    expect(Buffer.byteLength(guardedPdfName(sanitizeFileName('é'.repeat(300) + '.pdf', '1')))).toBeLessThanOrEqual(255)
    expect(guardedPdfName('é'.repeat(300) + '.pdf').endsWith('.pdf_')).toBe(true)
  })
  it('marks PDFs that carry JavaScript', () => {
    expect(pdfNeedsGuard('a.pdf', Buffer.from('%PDF /JavaScript'))).toBe(true)
    expect(pdfNeedsGuard('a.pdf', Buffer.from('%PDF plain'))).toBe(false)
  })
})

describe('storage layout and URLs', () => {
  it('derives FreeScout dirs from md5 digits (id 1 → 4/4/1/) and never reuses a taken path', () => {
    expect(attachmentDirPrefix(1)).toBe('4/4/')
    const taken = new Set(['attachment/4/4/1/a.txt', 'attachment/4/4/2/a.txt'])
    expect(attachmentFileDir(1, 'a.txt', (p) => taken.has(p))).toBe('4/4/3/')
    expect(attachmentFileDir(1, 'b.txt', (p) => taken.has(p))).toBe('4/4/1/')
  })
  it('builds the download URL with token md5(APP_KEY . id . size)', () => {
    const token = createHash('md5').update('base64:k' + '12' + '70').digest('hex')
    expect(attachmentUrl('https://h.test/', 'base64:k', { id: 12, fileDir: '1/2/1/', fileName: 'a b.png', size: 70 })).toBe(`https://h.test/storage/attachment/1/2/1/a%20b.png?id=12&token=${token}`)
  })
  it('rewrites cid references and reports the unknown ones', () => {
    const html = '<img src="cid:one@x"><img src="cid:two@x">'
    expect(referencedCids(html)).toEqual(['one@x', 'two@x'])
    expect(rewriteCids(html, new Map([['one@x', 'https://u?a=1&b=2']]))).toEqual({ html: '<img src="https://u?a=1&amp;b=2"><img src="cid:two@x">', unresolved: ['two@x'] })
  })
  it('maps MIME types to FreeScout type codes', () => {
    expect([attachmentTypeCode('text/plain'), attachmentTypeCode('image/png'), attachmentTypeCode('application/pdf'), attachmentTypeCode('x-weird')]).toEqual([0, 5, 3, 8])
    expect(cleanMimeType('Text/HTML; charset=utf-8')).toBe('text/html')
    expect(cleanMimeType('not a type')).toBe('application/octet-stream')
  })
})

describe('text', () => {
  it('strips NUL and replaces lone surrogates, reporting both', () => {
    const notes = { nul: false, invalidUnicode: false }
    expect(cleanText('a\u0000b\ud800c😀', notes)).toBe('ab\uFFFDc😀')
    expect(notes).toEqual({ nul: true, invalidUnicode: true })
  })
  it('previews like FreeScout: block ends as spaces, tags and scripts gone, 255 characters', () => {
    expect(textPreview('<p>Hello</p><div>big &amp; <b>bold</b></div><script>x()</script>')).toBe('Hello big & bold')
    expect(Array.from(textPreview('😀'.repeat(300)))).toHaveLength(255)
  })
  it('keeps HTML bodies as they are and turns plain text into paragraphs', () => {
    expect(bodyHtml('<script>a</script>', null)).toBe('<script>a</script>')
    expect(bodyHtml(null, 'a <b>\nc\n\nd')).toBe('<p>a &lt;b&gt;<br>c</p><p>d</p>')
    expect(truncateChars('😀😀', 1)).toBe('😀')
  })
})
