import type { NextConfig } from 'next'

const nextConfig: NextConfig = {
  // Native/embedded and Node-only server packages are loaded from node_modules, not bundled.
  serverExternalPackages: ['@electric-sql/pglite', 'pg-boss', 'pino', 'postgres', 'pg', '@bitrix24/b24jssdk'],
  poweredByHeader: false,
  reactStrictMode: true,
  typedRoutes: false,
  async headers() {
    return [
      {
        // Pages that Bitrix24 frames get a per-portal frame-ancestors policy from proxy.ts;
        // everything else may not be framed at all.
        source: '/((?!frame/).*)',
        headers: [
          { key: 'Content-Security-Policy', value: "frame-ancestors 'none'" },
          { key: 'Referrer-Policy', value: 'no-referrer' },
          { key: 'X-Content-Type-Options', value: 'nosniff' },
        ],
      },
    ]
  },
}

export default nextConfig
