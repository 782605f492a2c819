'use client'
import { useQuery } from '@tanstack/react-query'
import { useFrame } from './frame-context'

export interface PortalStatus {
  memberId: string
  isAdmin: boolean
  moedelo: { connected: boolean; strategy?: 'api_key' | 'oauth2'; firmName?: string | null; checkedAt?: string | null }
  oauthAvailable: boolean
}

export function usePortalStatus() {
  const { api } = useFrame()
  return useQuery({ queryKey: ['portal-status'], queryFn: () => api<PortalStatus>('/api/portal/status') })
}
