/**
 * Runs the real app (production build, the web server of `npm start`) as a child process for
 * browser and end-to-end tests. The build is made once per test run by the global setup.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { freePort, waitFor } from './ports'

export interface AppServer {
  url: string
  port: number
  /** The server process (e.g. to read its CPU time under a benchmark). */
  pid: number | undefined
  output(): string
  stop(): Promise<void>
}

export const TEST_CLIENT_ID = 'local.test-app.000001'
export const TEST_CLIENT_SECRET = 'test-client-secret-for-the-emulated-portal'

export async function startAppServer(env: Record<string, string | undefined> = {}, port?: number): Promise<AppServer> {
  const appPort = port ?? (await freePort())
  const dataDir = mkdtempSync(join(tmpdir(), 'b24md-app-'))
  const url = `http://127.0.0.1:${appPort}`
  let output = ''
  // e.g. APP_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" to profile the server under a benchmark
  const nodeArgs = (process.env.APP_NODE_ARGS ?? '').split(' ').filter(Boolean)
  const child: ChildProcess = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', 'server.ts', '-p', String(appPort), '-H', '127.0.0.1'], {
    cwd: process.cwd(),
    env: {
      ...process.env,
      NODE_ENV: 'production',
      SANDBOX: '1',
      APP_URL: url,
      DATA_DIR: dataDir,
      B24_CLIENT_ID: TEST_CLIENT_ID,
      B24_CLIENT_SECRET: TEST_CLIENT_SECRET,
      APP_SECRET: 'test-app-secret-0123456789abcdef',
      ALLOW_INSECURE_ENDPOINTS: '1',
      RUN_WORKERS_IN_APP: 'yes',
      RETRY_DELAYS_SECONDS: '0.2,0.4,0.8',
      RECOVERY_PROBE_SECONDS: '1',
      LOG_LEVEL: process.env.APP_LOG_LEVEL ?? "warn",
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()))
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()))
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))

  try {
    await waitFor(`the app at ${url}`, async () => {
      if (child.exitCode !== null) throw new Error(`the app server exited: ${output}`)
      const response = await fetch(`${url}/api/health`)
      return response.ok
    }, 90_000)
  } catch (error) {
    child.kill('SIGKILL')
    throw error
  }

  return {
    url,
    port: appPort,
    pid: child.pid,
    output: () => output,
    stop: async () => {
      child.kill('SIGTERM')
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000)
      await exited
      clearTimeout(timer)
      rmSync(dataDir, { recursive: true, force: true })
    },
  }
}
