'use client'
/**
 * The INN check in the company tab: the company's requisites, read with the viewer's own rights,
 * checked by the same rules the sync applies, with what to fix in plain language.
 */
import { useQuery } from '@tanstack/react-query'
import { useFrame } from '@/components/frame/frame-context'
import { Alert } from '@/components/ui'
import { requisiteProblemMessage } from '@/lib/domain/messages'
import { validateRequisites } from '@/lib/domain/requisites'

interface RequisiteRow {
  RQ_INN?: string | null
  RQ_KPP?: string | null
  RQ_OGRN?: string | null
  RQ_OGRNIP?: string | null
}

export function RequisiteCheck({ companyId }: { companyId: string }) {
  const { frame, lang } = useFrame()
  const requisites = useQuery({
    queryKey: ['b24', 'requisites', companyId],
    enabled: frame.state === 'ready',
    queryFn: async () => {
      if (frame.state !== 'ready') throw new Error('frame not ready')
      const result = await frame.b24.actions.v2.call.make<RequisiteRow[]>({
        method: 'crm.requisite.list',
        params: { filter: { ENTITY_TYPE_ID: 4, ENTITY_ID: companyId }, select: ['ID', 'RQ_INN', 'RQ_KPP', 'RQ_OGRN', 'RQ_OGRNIP'] },
      })
      return result.getData()?.result ?? []
    },
  })
  const first = requisites.data?.find((r) => r.RQ_INN)
  if (!first) return null
  const check = validateRequisites({ inn: first.RQ_INN, kpp: first.RQ_KPP, ogrn: first.RQ_OGRN, ogrnip: first.RQ_OGRNIP })
  if (check.ok) return null
  return (
    <Alert tone="alert" testId="requisite-problems">
      <ul className="list-disc pl-4">
        {check.problems.map((problem, i) => (
          <li key={i}>{requisiteProblemMessage(problem, lang)}</li>
        ))}
      </ul>
    </Alert>
  )
}
