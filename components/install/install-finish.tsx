'use client'
/**
 * The install page Bitrix24 frames until installation is finished. The server has already stored
 * the portal and bound placements, events and fields; this tells Bitrix24 we are done.
 */
import { useEffect, useState } from 'react'
import { useFrame } from '@/components/frame/frame-context'
import { Alert, Spinner } from '@/components/ui'

export function InstallFinish() {
  const { frame, t } = useFrame()
  const [finish, setFinish] = useState<'finishing' | 'done' | 'failed'>('finishing')
  const installMode = frame.state === 'ready' && frame.b24.isInstallMode

  useEffect(() => {
    if (frame.state !== 'ready' || !frame.b24.isInstallMode) return
    frame.b24
      .installFinish()
      .then(() => setFinish('done'))
      .catch(() => setFinish('failed'))
  }, [frame])

  const state = frame.state === 'failed' ? 'failed' : frame.state === 'ready' && !installMode ? 'done' : finish

  return (
    <main className="mx-auto max-w-[640px] space-y-4 p-6" data-testid="install" data-state={state}>
      <h1 className="text-xl font-semibold">{t('installTitle')}</h1>
      {state === 'finishing' && <Spinner label={t('installFinishing')} />}
      {state === 'done' && <Alert tone="success">{t('installDone')}</Alert>}
      {state === 'failed' && <Alert tone="alert">{t('installFailed')}</Alert>}
    </main>
  )
}
