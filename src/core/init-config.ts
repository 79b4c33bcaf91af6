// The commented deskmove.json `deskmove init` writes: the target's own sections, then the shared policies.
import type { AnyMappingSection } from './mapping-section.js'

const indent = (text: string, pad: string) =>
  text
    .split('\n')
    .map((l) => (l ? pad + l : l))
    .join('\n')

/** A commented starting deskmove.json for a target (its display name and declared mapping sections). */
export function initConfigText(target: { readonly displayName: string; readonly sections: readonly AnyMappingSection[] }): string {
  const name = target.displayName
  const sections = target.sections.map((s) => indent(s.template, '    ') + ',\n').join('')
  return `{
  "$schema": "./schemas/deskmove.schema.json",
  // How source values become ${name} values.
  // \`deskmove plan\` refuses to run while a value it sees in staging has no entry here and its section
  // has no "*" default, and lists each such value.
  "mapping": {
${sections}    // Source agent email or id → target user email or id. Agents are otherwise matched by email.
    "agents": {},
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
