/** Recovery probes and outage notifications, for the in-app runner and `npm run worker`. */
import type { Database } from '@/db/client'
import { bitrix24OutageNotifier } from '@/lib/operations/outage-notifier'
import { serviceProbes } from '@/lib/operations/probes'
import type { OutageNotifier, ServiceProbe } from './define'

export interface ServiceHooks {
  probes: ServiceProbe[]
  notifier: OutageNotifier | undefined
}

export function buildServiceHooks(db?: Database): ServiceHooks {
  if (!db) return { probes: [], notifier: undefined }
  return { probes: serviceProbes(db), notifier: bitrix24OutageNotifier(db) }
}
