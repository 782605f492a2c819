/**
 * Headers for every response that Bitrix24 does not frame: no framing at all, no referrer, no
 * MIME sniffing. Next.js adds them through next.config.ts; the server's own event fast path
 * (lib/http/event-fast-path.ts) sends the same ones.
 */
export const NOT_FRAMEABLE_HEADERS = {
  'Content-Security-Policy': "frame-ancestors 'none'",
  'Referrer-Policy': 'no-referrer',
  'X-Content-Type-Options': 'nosniff',
} as const
