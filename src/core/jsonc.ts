// deskmove.json is JSON with comments and trailing commas (JSONC), read with a well-kept parser so a syntax
// error names its line and column.
import { parse, printParseErrorCode, type ParseError } from 'jsonc-parser'
import { ConfigError } from './errors.js'

/** Line and column (1-based) of a character offset. */
function position(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset)
  const line = before.split('\n').length
  return { line, column: offset - before.lastIndexOf('\n') }
}

/**
 * Parses JSONC text. Throws `ConfigError` naming the first syntax error's line and column (`file:3:14`).
 * Comments and trailing commas are allowed; nothing else is forgiven.
 */
export function parseJsonc(text: string, fileName: string): unknown {
  const errors: ParseError[] = []
  const value: unknown = parse(text, errors, { allowTrailingComma: true, disallowComments: false, allowEmptyContent: false })
  const first = errors[0]
  if (first) {
    const { line, column } = position(text, first.offset)
    throw new ConfigError(`${fileName}:${line}:${column}: ${printParseErrorCode(first.error)} (not valid JSON with comments)`, {
      hint: `fix ${fileName} at line ${line}, column ${column}, or recreate it with \`deskmove init\``,
    })
  }
  return value
}
