import { resolve } from 'node:path'
import { describe } from 'vitest'
import { describeTargetConformance } from '../../../src/testing/target-conformance.js'
import { probeDatabases } from '../../../src/testing/test-databases.js'
import { freescoutHarness } from './harness.test-helpers.js'
import { freescoutTarget } from './index.js'

const probe = await probeDatabases()
const datasets = resolve(import.meta.dirname, '../../../fixtures/canonical')

describe.skipIf(!probe.mysql)(`FreeScout on MariaDB ${probe.reasons.mysql ? `(skipped: ${probe.reasons.mysql})` : ''}`, () => {
  describeTargetConformance('freescout (mariadb)', () => freescoutHarness('mysql'), { datasets, definition: freescoutTarget })
})

describe.skipIf(!probe.postgres)(`FreeScout on PostgreSQL ${probe.reasons.postgres ? `(skipped: ${probe.reasons.postgres})` : ''}`, () => {
  describeTargetConformance('freescout (postgres)', () => freescoutHarness('postgres'), { datasets, definition: freescoutTarget })
})
