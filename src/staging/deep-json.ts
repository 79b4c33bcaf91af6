// JSON text for values of any depth. `JSON.stringify` recurses and overflows the stack near depth 5,000;
// `JSON.parse` does not, so a vendor can send a record we can read but not write back. This serialiser keeps
// its own stack, and gives the same text as `JSON.stringify` for everything JSON can hold.

type Frame =
  | { readonly kind: 'array'; readonly items: readonly unknown[]; i: number }
  | { readonly kind: 'object'; readonly entries: readonly [string, unknown][]; i: number; wrote: boolean }

const jsonValue = (v: unknown): unknown =>
  v !== null && typeof v === 'object' && typeof (v as { toJSON?: unknown }).toJSON === 'function' ? (v as { toJSON(): unknown }).toJSON() : v

/** Text of a leaf value, or null when it is a container (or is omitted: undefined, functions, symbols). */
function leaf(v: unknown): string | null | undefined {
  if (v === null) return 'null'
  switch (typeof v) {
    case 'string':
      return JSON.stringify(v)
    case 'number':
      return Number.isFinite(v) ? String(v) : 'null'
    case 'boolean':
      return v ? 'true' : 'false'
    case 'bigint':
      throw new TypeError('Do not know how to serialize a BigInt')
    case 'object':
      return null
    default:
      return undefined
  }
}

/** `JSON.stringify(value)` without recursion (undefined at the top gives 'null', as staging stores it). */
export function deepJson(value: unknown): string {
  const out: string[] = []
  const stack: Frame[] = []
  const open = (raw: unknown): void => {
    const v = jsonValue(raw)
    const text = leaf(v)
    if (text !== null) {
      out.push(text ?? 'null')
      return
    }
    if (Array.isArray(v)) {
      out.push('[')
      stack.push({ kind: 'array', items: v, i: 0 })
    } else {
      out.push('{')
      stack.push({ kind: 'object', entries: Object.entries(v as object), i: 0, wrote: false })
    }
  }
  open(value)
  while (stack.length > 0) {
    const top = stack[stack.length - 1]!
    if (top.kind === 'array') {
      if (top.i >= top.items.length) {
        out.push(']')
        stack.pop()
        continue
      }
      if (top.i > 0) out.push(',')
      const item = jsonValue(top.items[top.i++])
      // In arrays, what JSON omits elsewhere becomes null.
      if (leaf(item) === undefined) out.push('null')
      else open(item)
      continue
    }
    if (top.i >= top.entries.length) {
      out.push('}')
      stack.pop()
      continue
    }
    const [k, raw] = top.entries[top.i++]!
    const v = jsonValue(raw)
    if (leaf(v) === undefined) continue
    out.push(`${top.wrote ? ',' : ''}${JSON.stringify(k)}:`)
    top.wrote = true
    open(v)
  }
  return out.join('')
}

/** `JSON.stringify` where it can (fast), the stack-free serialiser where the value is too deep for it. */
export function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value ?? null)
  } catch (e) {
    if (e instanceof RangeError) return deepJson(value ?? null)
    throw e
  }
}

/** True when `e` is the stack overflow a too-deep value causes. */
export const isTooDeep = (e: unknown): boolean => e instanceof RangeError && /call stack/i.test(e.message)
