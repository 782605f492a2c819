/**
 * Recovery probes: is a service answering again for this portal? Only a service that is reachable
 * counts as down or up; a portal without a MoeDelo connection has nothing to wait for.
 */
import type { Database } from '@/db'
import { bitrix24For } from '@/lib/bitrix24/client'
import { moedeloClientFor } from '@/lib/connections/moedelo'
import { isRetryable } from '@/lib/errors'
import type { ServiceProbe } from '@/lib/jobs'

export function serviceProbes(db: Database): ServiceProbe[] {
  return [
    {
      service: 'moedelo',
      isUp: async (memberId) => {
        const client = await moedeloClientFor(db, memberId)
        return client ? (await client.health()).reachable : true
      },
    },
    {
      service: 'bitrix24',
      isUp: async (memberId) => {
        try {
          await (await bitrix24For(db, memberId)).call('app.info')
          return true
        } catch (error) {
          return !isRetryable(error)
        }
      },
    },
  ]
}
