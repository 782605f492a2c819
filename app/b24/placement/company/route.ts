import { enterFrame, type FrameTarget } from '@/lib/http/frame-entry'

export const runtime = 'nodejs'
export const dynamic = 'force-dynamic'

const target: FrameTarget = { page: '/frame/company', entityType: 'company', placements: ['CRM_COMPANY_DETAIL_TAB'] }

export async function POST(request: Request) {
  return enterFrame(request, target)
}

export async function GET(request: Request) {
  return enterFrame(request, target)
}
