// ESLint: typescript-eslint's recommended rules, the project's conventions, and the layering rule.
// Layering (README "How it is built"): core ← staging, http ← kits ← engine ← cli. Adapters depend on core and
// the kits only; nothing imports an adapter but the registry (adapters/index.ts).
import { dirname, relative, resolve, sep } from 'node:path'
import { fileURLToPath } from 'node:url'
import tseslint from 'typescript-eslint'

const ROOT = dirname(fileURLToPath(import.meta.url))

/** The layer a project file belongs to, from its path relative to the root ('' for files outside layers). */
function layerOf(file) {
  const rel = relative(ROOT, file).split(sep).join('/')
  if (rel === 'adapters/index.ts') return 'registry'
  const adapter = /^adapters\/(sources|targets)\/([^/]+)\//.exec(rel)
  if (adapter) return `adapter:${adapter[1]}/${adapter[2]}`
  const src = /^src\/([^/]+)\//.exec(rel)
  if (src) return src[1]
  if (rel.startsWith('bench/')) return 'bench'
  return ''
}

/** Which layers each layer may import (besides itself). Tests get `TEST_EXTRA` on top. */
const ALLOWED = {
  core: [],
  staging: ['core'],
  http: ['core'],
  kits: ['core', 'http'],
  engine: ['core', 'staging', 'http', 'kits'],
  cli: ['core', 'staging', 'http', 'kits', 'engine', 'registry'],
  testing: ['core', 'staging', 'http', 'kits', 'engine', 'cli', 'registry'],
  registry: ['core', 'adapter'],
  adapter: ['core', 'kits'],
  bench: ['core', 'staging', 'http', 'kits', 'engine', 'cli', 'testing', 'registry', 'adapter'],
}
const TEST_EXTRA = ['testing', 'engine', 'staging', 'http', 'cli', 'registry']
// End-to-end tests (`*.e2e.test.ts`) run a named source against a named target through the CLI and check what
// no contract exposes (a simulator's manifest, rows in the target's database), so they may import adapters too.
const E2E_EXTRA = ['adapter']

const layering = {
  meta: { type: 'problem', docs: { description: 'imports follow the layering core ← staging/http ← kits ← engine ← cli' }, schema: [] },
  create(context) {
    const file = context.filename
    const from = layerOf(file)
    if (!from) return {}
    // Test code: tests, and the helpers that sit next to them (`*.test-helpers.ts`, e.g. a harness or a child
    // process a test spawns); neither ships behaviour, so both may reach into lower layers to set a scene up.
    const isTest = /\.test(-helpers)?\.ts$/.test(file)
    const isE2e = /\.e2e\.test\.ts$/.test(file)
    const check = (node) => {
      const spec = node.source && node.source.value
      node = node.type ? node : node.source
      if (typeof spec !== 'string' || !spec.startsWith('.')) return
      const to = layerOf(resolve(dirname(file), spec))
      if (!to || to === from) return
      const fromBase = from.startsWith('adapter:') ? 'adapter' : from
      const toBase = to.startsWith('adapter:') ? 'adapter' : to
      // One adapter never reaches into another: only the registry sees adapters.
      if (fromBase === 'adapter' && toBase === 'adapter') {
        context.report({ node, message: `${from} imports ${to}: adapters must not import each other` })
        return
      }
      const allowed = [...(ALLOWED[fromBase] ?? []), ...(isTest ? TEST_EXTRA : []), ...(isE2e ? E2E_EXTRA : [])]
      if (!allowed.includes(toBase)) context.report({ node, message: `layering: ${from} must not import ${to} (${spec})` })
    }
    return { ImportDeclaration: check, ExportNamedDeclaration: check, ExportAllDeclaration: check, ImportExpression: (node) => node.source.type === 'Literal' && check({ source: node.source, loc: node.loc, range: node.range }) }
  },
}

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', '.tmp/**', 'fixtures/**', 'bin/**'] },
  { linterOptions: { reportUnusedDisableDirectives: 'error' } },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    plugins: { deskmove: { rules: { layering } } },
    rules: {
      'deskmove/layering': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      'no-restricted-exports': ['error', { restrictDefaultExports: { direct: true, named: true, defaultFrom: true, namedFrom: true, namespaceFrom: true } }],
      // Adapters hold `any` only at the registry's erasure points, each with a reason.
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },
  {
    files: ['src/**/*.ts', 'adapters/**/*.ts'],
    ignores: ['**/*.test.ts', '**/*.test-helpers.ts'],
    rules: { 'max-lines': ['error', { max: 400 }] },
  },
  {
    // Config files are tool configs, not project code; vitest's config has a default export by convention.
    files: ['vitest.config.ts'],
    rules: { 'no-restricted-exports': 'off' },
  },
)
