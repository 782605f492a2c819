import { enterFrame, type FrameTarget } from '@/lib/http/frame-entry'

export const runtime = 'nodejs'
export const dynamic = 'force-dynamic'

/** The app's own page (settings), opened from the Bitrix24 menu. */
const target: FrameTarget = { page: '/frame/app', placements: ['DEFAULT'] }

export async function POST(request: Request) {
  return enterFrame(request, target)
}

export async function GET(request: Request) {
  return enterFrame(request, target)
}
