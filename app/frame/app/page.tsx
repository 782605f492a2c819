import { AdminApp } from '@/components/admin/admin-app'
import { FramedPage } from '@/components/frame/framed-page'

export const dynamic = 'force-dynamic'

export default function Page({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  return <FramedPage searchParams={searchParams} render={(claims) => <AdminApp isAdmin={claims.isAdmin} />} />
}
