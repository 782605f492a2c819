'use client'
/** Per pipeline: which stage triggers an invoice and which stage means "paid". Loaded from the portal. */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useState } from 'react'
import { useFrame } from '@/components/frame/frame-context'
import { Alert, Button, Card, Spinner, inputClass } from '@/components/ui'

interface Pipeline {
  id: string
  name: string
  stages: { id: string; name: string; semantics: 'process' | 'success' | 'failure' }[]
  invoiceStageId: string | null
  paidStageId: string | null
}

type Selection = Record<string, { invoiceStageId: string | null; paidStageId: string | null }>

export function PipelineSettings() {
  const { api, t } = useFrame()
  const pipelines = useQuery({ queryKey: ['pipelines'], queryFn: () => api<{ pipelines: Pipeline[] }>('/api/portal/pipelines') })
  return (
    <Card title={t('pipelinesSection')}>
      <p className="mb-4 text-sm text-base-800">{t('pipelinesHint')}</p>
      {pipelines.isPending && <Spinner label={t('loading')} />}
      {pipelines.isError && <Alert tone="alert">{pipelines.error.message}</Alert>}
      {/* Keyed by the pipelines themselves: a refetch after saving must not reset the form or its "saved" note. */}
      {pipelines.data && <PipelineForm key={pipelines.data.pipelines.map((p) => p.id).join()} pipelines={pipelines.data.pipelines} />}
    </Card>
  )
}

function PipelineForm({ pipelines }: { pipelines: Pipeline[] }) {
  const { api, t } = useFrame()
  const queryClient = useQueryClient()
  const [selection, setSelection] = useState<Selection>(() =>
    Object.fromEntries(pipelines.map((p) => [p.id, { invoiceStageId: p.invoiceStageId, paidStageId: p.paidStageId }])),
  )
  const save = useMutation({
    mutationFn: () => api('/api/portal/pipelines', { method: 'PUT', body: JSON.stringify({ pipelines: selection }) }),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: ['pipelines'] }),
  })

  const choose = (pipelineId: string, key: 'invoiceStageId' | 'paidStageId', value: string) =>
    setSelection((current) => ({
      ...current,
      [pipelineId]: { invoiceStageId: null, paidStageId: null, ...current[pipelineId], [key]: value || null },
    }))

  return (
    <form
      onSubmit={(event) => {
        event.preventDefault()
        save.mutate()
      }}
      className="space-y-4"
    >
      <table className="w-full text-left text-sm" data-testid="pipelines">
        <thead className="text-xs uppercase text-base-700">
          <tr>
            <th className="py-2 pr-4">{t('pipeline')}</th>
            <th className="py-2 pr-4">{t('invoiceStage')}</th>
            <th className="py-2">{t('paidStage')}</th>
          </tr>
        </thead>
        <tbody>
          {pipelines.map((pipeline) => (
            <tr key={pipeline.id} className="border-t border-base-100">
              <td className="py-2 pr-4 font-semibold">{pipeline.name}</td>
              {(['invoiceStageId', 'paidStageId'] as const).map((key) => (
                <td key={key} className="py-2 pr-4">
                  <select
                    className={inputClass}
                    aria-label={`${pipeline.name}: ${t(key === 'invoiceStageId' ? 'invoiceStage' : 'paidStage')}`}
                    value={selection[pipeline.id]?.[key] ?? ''}
                    onChange={(event) => choose(pipeline.id, key, event.target.value)}
                  >
                    <option value="">{t('notSet')}</option>
                    {pipeline.stages.map((stage) => (
                      <option key={stage.id} value={stage.id}>
                        {stage.name}
                      </option>
                    ))}
                  </select>
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      {save.isError && <Alert tone="alert">{save.error.message}</Alert>}
      {save.isSuccess && <Alert tone="success" testId="pipelines-saved">{t('saved')}</Alert>}
      <Button type="submit" data-testid="pipelines-save" busy={save.isPending}>
        {t('save')}
      </Button>
    </form>
  )
}
