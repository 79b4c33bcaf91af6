// PURE: Zendesk's `content_type` is guessed from the file's extension by its own table, which misreads common
// files (`README.md` → `application/x-genesis-rom`, VENDOR-SHAPES.md Zendesk #19). Ours wins where we know
// the extension; Zendesk's is kept for the rest.

const BY_EXTENSION: Readonly<Record<string, string>> = {
  txt: 'text/plain', md: 'text/markdown', csv: 'text/csv', log: 'text/plain', html: 'text/html', htm: 'text/html',
  json: 'application/json', xml: 'application/xml', pdf: 'application/pdf', rtf: 'application/rtf', zip: 'application/zip',
  gz: 'application/gzip', doc: 'application/msword', xls: 'application/vnd.ms-excel', ppt: 'application/vnd.ms-powerpoint',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  pptx: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  png: 'image/png', jpg: 'image/jpeg', jpeg: 'image/jpeg', gif: 'image/gif', webp: 'image/webp', svg: 'image/svg+xml', bmp: 'image/bmp',
  heic: 'image/heic', tif: 'image/tiff', tiff: 'image/tiff', mp3: 'audio/mpeg', wav: 'audio/wav', mp4: 'video/mp4', mov: 'video/quicktime',
  eml: 'message/rfc822', ics: 'text/calendar',
}

/** The file's content type: from its extension when we know it, else what Zendesk said, else octet-stream. */
export function contentTypeOf(fileName: string, declared: string | null | undefined): string {
  const ext = /\.([a-z0-9]+)$/i.exec(fileName)?.[1]?.toLowerCase() ?? ''
  return BY_EXTENSION[ext] ?? (declared?.trim() || 'application/octet-stream')
}
