/** Starts the database and the job queue when the Next.js server boots (Node.js runtime only). */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return
  const { getRuntime } = await import('./lib/runtime')
  await getRuntime()
}
