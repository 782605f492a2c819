import type { NextConfig } from 'next'
import { NOT_FRAMEABLE_HEADERS } from './lib/http/security-headers'

const nextConfig: NextConfig = {
  // Native/embedded and Node-only server packages are loaded from node_modules, not bundled.
  serverExternalPackages: ['@electric-sql/pglite', 'pg-boss', 'pino', 'postgres', 'pg', '@bitrix24/b24jssdk'],
  poweredByHeader: false,
  reactStrictMode: true,
  typedRoutes: false,
  // `npm test` type-checks the whole project once (`tsc --noEmit`); the build does not repeat it.
  typescript: { ignoreBuildErrors: true },
  async headers() {
    return [
      {
        // Pages that Bitrix24 frames get a per-portal frame-ancestors policy from proxy.ts;
        // everything else may not be framed at all.
        source: '/((?!frame/|b24/).*)',
        headers: Object.entries(NOT_FRAMEABLE_HEADERS).map(([key, value]) => ({ key, value })),
      },
    ]
  },
}

export default nextConfig
