import { FramedPage } from '@/components/frame/framed-page'
import { InstallFinish } from '@/components/install/install-finish'

export const dynamic = 'force-dynamic'

export default function Page({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  return <FramedPage searchParams={searchParams} render={() => <InstallFinish />} />
}
