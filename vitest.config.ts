import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'adapters/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Two cores: database-backed suites must not fight over the same server schema.
    fileParallelism: true,
    maxWorkers: 2,
    minWorkers: 1,
  },
})
