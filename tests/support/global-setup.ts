/**
 * Builds the app once before the browser tests (they run `next start` against this build).
 * A build that is newer than every source file is reused.
 */
import { execFileSync } from 'node:child_process'
import { existsSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'

const SOURCE_DIRS = ['app', 'components', 'lib', 'db', 'public']
const SOURCE_FILES = ['next.config.ts', 'proxy.ts', 'instrumentation.ts', 'tailwind.config.ts', 'package-lock.json']

function newestMtime(path: string): number {
  if (!existsSync(path)) return 0
  const stat = statSync(path)
  if (!stat.isDirectory()) return stat.mtimeMs
  return readdirSync(path).reduce((max, name) => Math.max(max, newestMtime(join(path, name))), stat.mtimeMs)
}

export default function setup(): void {
  const buildId = '.next/BUILD_ID'
  const sources = Math.max(...SOURCE_DIRS.map(newestMtime), ...SOURCE_FILES.map(newestMtime))
  if (existsSync(buildId) && statSync(buildId).mtimeMs > sources) return
  execFileSync(process.execPath, ['node_modules/next/dist/bin/next', 'build'], { stdio: 'inherit', env: { ...process.env, NODE_ENV: 'production' } })
}
