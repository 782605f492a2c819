import { DealTab } from '@/components/deal/deal-tab'
import { FramedPage } from '@/components/frame/framed-page'

export const dynamic = 'force-dynamic'

type SearchParams = Record<string, string | string[] | undefined>

/** The toolbar button «Выставить счёт» opens the same page with the new invoice's preview already open. */
export default async function Page({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const fromToolbar = (await searchParams).placement === 'CRM_DEAL_DETAIL_TOOLBAR'
  return (
    <FramedPage
      searchParams={searchParams}
      render={(claims) => <DealTab dealId={String(claims.entityId ?? '')} openOnStart={fromToolbar ? 'new' : undefined} />}
    />
  )
}
