import { fileURLToPath } from 'node:url'
import { defineConfig, type TestProjectInlineConfiguration } from 'vitest/config'

const alias = { '@': fileURLToPath(new URL('./', import.meta.url)) }
const databaseTests = ['tests/integration/**/*.test.ts', 'tests/jobs/**/*.test.ts', 'tests/bitrix24/**/*.test.ts']

const project = (name: string, include: string[], extra: TestProjectInlineConfiguration['test'] = {}): TestProjectInlineConfiguration => ({
  extends: true,
  test: { name, include, ...extra },
})

// Database tests run against PGlite always, and against the PostgreSQL server too when DATABASE_URL is set.
const serverDatabase = Boolean(process.env.DATABASE_URL)

export default defineConfig({
  resolve: { alias },
  test: {
    environment: 'node',
    testTimeout: 120_000,
    hookTimeout: 300_000,
    pool: 'forks',
    env: { LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent' },
    projects: [
      project('unit', ['tests/unit/**/*.test.ts', 'tests/domain/**/*.test.ts', 'tests/registry/**/*.test.ts', 'lib/**/*.test.ts', 'tests/emulators/**/*.test.ts']),
      project('pglite', databaseTests, { env: { DATABASE_URL: '' } }),
      ...(serverDatabase ? [project('postgres', databaseTests)] : []),
      project('e2e', ['tests/e2e/**/*.test.ts'], { globalSetup: ['tests/support/global-setup.ts'], fileParallelism: false }),
    ],
  },
})
