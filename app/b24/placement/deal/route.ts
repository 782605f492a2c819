import { enterFrame, type FrameTarget } from '@/lib/http/frame-entry'

export const runtime = 'nodejs'
export const dynamic = 'force-dynamic'

const target: FrameTarget = { page: '/frame/deal', entityType: 'deal', placements: ['CRM_DEAL_DETAIL_TAB', 'CRM_DEAL_DETAIL_TOOLBAR'] }

export async function POST(request: Request) {
  return enterFrame(request, target)
}

export async function GET(request: Request) {
  return enterFrame(request, target)
}
