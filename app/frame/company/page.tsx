import { CompanyTab } from '@/components/company/company-tab'
import { FramedPage } from '@/components/frame/framed-page'

export const dynamic = 'force-dynamic'

export default function Page({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  return <FramedPage searchParams={searchParams} render={(claims) => <CompanyTab companyId={String(claims.entityId ?? '')} />} />
}
