/**
 * Every Bitrix24 event (lib/http/event-intake.ts). In production the web server (server.ts)
 * answers this path itself before Next.js sees it; this route serves `next dev` and `next start`.
 */
import { receiveEvent } from '@/lib/http/event-intake'

export const runtime = 'nodejs'
export const dynamic = 'force-dynamic'

export async function POST(request: Request) {
  const status = await receiveEvent({ headers: request.headers, readBody: () => request.text() })
  return new Response(null, { status })
}
