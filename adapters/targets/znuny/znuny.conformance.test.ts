// The Znuny target passes the shared target suite against the simulator: in memory, and kept in a Znuny-schema
// stand-in database (MariaDB) when one is available. PostgreSQL: db.test.ts (the suite per database is slow).
import { resolve } from 'node:path'
import { describe } from 'vitest'
import { describeTargetConformance } from '../../../src/testing/target-conformance.js'
import { probeDatabases } from '../../../src/testing/test-databases.js'
import { znunyHarness } from './harness.test-helpers.js'
import { znunyTarget } from './index.js'

const probe = await probeDatabases()
const datasets = resolve(import.meta.dirname, '../../../fixtures/canonical')

// Znuny's REST API has no ticket delete: rollback works on the database, and refuses (naming ZNUNY_DB_URL) without it.
const knownGaps = [{ test: 'rollback removes exactly what the run created, or is refused when the target has none', reason: 'without ZNUNY_DB_URL rollback refuses with a ConfigError naming it (REST cannot delete tickets); run on the stand-in below' }]
describeTargetConformance('znuny (simulator 7.1, in memory)', () => znunyHarness(), { datasets, definition: znunyTarget, knownGaps })
describeTargetConformance('znuny (simulator 7.0, in memory)', () => znunyHarness({ sim: { version: '7.0' } }), { datasets, definition: znunyTarget, knownGaps })

describe.skipIf(!probe.mysql)(`Znuny stand-in on MariaDB ${probe.reasons.mysql ? `(skipped: ${probe.reasons.mysql})` : ''}`, () => {
  describeTargetConformance('znuny (simulator on a MariaDB stand-in, with ZNUNY_DB_URL)', () => znunyHarness({ dialect: 'mysql' }), { datasets, definition: znunyTarget })
})

