// The commented deskmove.json `deskmove init` writes: the target's own sections, then the shared policies.
import type { AnyMappingSection, ObservedEntry, SectionSuggestions } from './mapping-section.js'
import { DEFAULT_KEY } from './mapping-section.js'

const indent = (text: string, pad: string) =>
  text
    .split('\n')
    .map((l) => (l ? pad + l : l))
    .join('\n')

/** A one-line comment (line breaks in vendor names must not end the comment early). */
const comment = (text: string) => `// ${text.replace(/[\r\n]+/g, ' ')}`

/** A section written from its suggestions: matched values set, the rest commented choices, each with its count. */
export function renderSuggestedSection(section: AnyMappingSection, s: SectionSuggestions): string {
  const lines = [comment(section.description)]
  if (s.choices.length) lines.push(comment(`choices: ${s.choices.join(', ')}`))
  lines.push(`"${section.name}": {`)
  const body: string[] = []
  for (const e of s.entries) {
    const pair = `${JSON.stringify(e.value)}: ${JSON.stringify(e.target ?? s.fallback?.target ?? null)}`
    body.push(e.target === null ? `  // ${pair},  ${comment(e.note)}` : `  ${pair},  ${comment(e.note)}`)
  }
  if (s.fallback) body.push(`  ${JSON.stringify(DEFAULT_KEY)}: ${JSON.stringify(s.fallback.target)}  ${comment(s.fallback.note)}`)
  // A set entry keeps its trailing comma even when last: deskmove.json is JSONC, which allows it.
  lines.push(...body, '}')
  return lines.join('\n')
}

/** A section without a suggestion hook: its template, then the observed values as comments with their counts. */
export function renderObservedSection(section: AnyMappingSection, observed: readonly ObservedEntry[]): string {
  if (observed.length === 0) return section.template
  const seen = observed.map((o) => comment(`seen in staging: ${JSON.stringify(o.value)}${o.name || o.email ? ` (${[o.name, o.email].filter(Boolean).join(', ')})` : ''}: ${o.count}`))
  return [...seen, section.template].join('\n')
}

/** What `init` knows besides the sections: where the schema is, and lines about the staged agents. */
export interface InitExtras {
  /** `$schema` as written (relative to the file, or absolute). */
  readonly schemaPath?: string
  /** Section texts (as `template`) by name, rendered from staging and the target; others use the template. */
  readonly sectionTexts?: Readonly<Record<string, string>>
  /** JSONC lines inside `"agents": { … }` (comments or entries, without the trailing comma of the last). */
  readonly agentLines?: readonly string[]
}

/** A commented starting deskmove.json for a target (its display name and declared mapping sections). */
export function initConfigText(target: { readonly displayName: string; readonly sections: readonly AnyMappingSection[] }, extras: InitExtras = {}): string {
  const name = target.displayName
  const sections = target.sections.map((s) => indent(extras.sectionTexts?.[s.name] ?? s.template, '    ') + ',\n').join('')
  const agents = extras.agentLines?.length ? `{\n${extras.agentLines.map((l) => `      ${l}`).join('\n')}\n    }` : '{}'
  return `{
  "$schema": ${JSON.stringify(extras.schemaPath ?? './schemas/deskmove.schema.json')},
  // How source values become ${name} values.
  // \`deskmove plan\` refuses to run while a value it sees in staging has no entry here and its section
  // has no "*" default, and lists each such value.
  "mapping": {
${sections}    // Source agent email or id → target user email or id. Agents are otherwise matched by email.
    "agents": ${agents},
    // Agents without a target user: { "policy": "create-disabled" } or { "policy": "map-to", "user": "admin@yourcompany.com" }
    "unmatchedAgents": { "policy": "create-disabled" },
    // Customers without an email (phone or chat contacts). A placeholder keeps their conversations; the
    // reserved .invalid domain can never receive mail. Or { "policy": "reject" } to leave them (and their
    // conversations) out, each reported by \`deskmove rejects\`. Absent, the placeholder below applies.
    "customersWithoutEmail": { "policy": "placeholder", "pattern": "noemail+{sourceId}@{domain}", "domain": "noemail.invalid" },
    // Keep source ticket numbers (FreeScout shows them with APP_CUSTOM_NUMBER=true in its .env).
    "keepNumbers": false
  }
}
`
}
