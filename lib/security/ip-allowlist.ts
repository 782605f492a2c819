/**
 * Source-IP allowlist (IPv4 and IPv6 CIDRs). An empty list allows everyone; entries that do not
 * parse are ignored (so a list of only bad entries allows nobody: fail closed).
 * `clientIp` trusts X-Forwarded-For only when told to (behind a known reverse proxy).
 */
import { BlockList, isIP } from 'node:net'

const listCache = new Map<string, BlockList>()

function normalise(ip: string): { address: string; family: 'ipv4' | 'ipv6' } | undefined {
  let value = ip.trim()
  if (value.startsWith('[') && value.includes(']')) value = value.slice(1, value.indexOf(']'))
  const zone = value.indexOf('%')
  if (zone >= 0) value = value.slice(0, zone)
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(value)
  if (mapped) value = mapped[1]!
  const family = isIP(value)
  if (family === 4) return { address: value, family: 'ipv4' }
  if (family === 6) return { address: value.toLowerCase(), family: 'ipv6' }
  return undefined
}

export function parseCidrList(list: string | readonly string[]): string[] {
  const items = typeof list === 'string' ? list.split(/[\s,;]+/) : [...list]
  return items.map((s) => s.trim()).filter(Boolean)
}

function buildList(entries: string[]): BlockList {
  const block = new BlockList()
  for (const entry of entries) {
    const [addr, prefixText] = entry.split('/')
    const ip = addr ? normalise(addr) : undefined
    if (!ip) continue
    const max = ip.family === 'ipv4' ? 32 : 128
    const prefix = prefixText === undefined ? max : Number(prefixText)
    if (!Number.isInteger(prefix) || prefix < 0 || prefix > max) continue
    try {
      block.addSubnet(ip.address, prefix, ip.family)
    } catch {
      // unparseable entry: skipped
    }
  }
  return block
}

export function isAllowedIp(ip: string | undefined | null, cidrList: string | readonly string[]): boolean {
  const entries = parseCidrList(cidrList)
  if (entries.length === 0) return true
  if (!ip) return false
  const address = normalise(ip)
  if (!address) return false
  const key = entries.join(',')
  let block = listCache.get(key)
  if (!block) {
    block = buildList(entries)
    if (listCache.size > 100) listCache.clear()
    listCache.set(key, block)
  }
  return block.check(address.address, address.family)
}

export type HeaderSource = Headers | Record<string, string | string[] | undefined>

function header(headers: HeaderSource, name: string): string | undefined {
  if (typeof (headers as Headers).get === 'function') return (headers as Headers).get(name) ?? undefined
  const value = (headers as Record<string, string | string[] | undefined>)[name.toLowerCase()]
  return Array.isArray(value) ? value.join(',') : value
}

export interface ClientIpOptions {
  /**
   * How many reverse proxies in front of the app append to X-Forwarded-For (0 = ignore the
   * header, the default). With N, the N-th address from the right is the client.
   */
  trustedProxies?: number
}

/** The caller's address: the socket peer, or X-Forwarded-For when proxies are trusted. */
export function clientIp(
  headers: HeaderSource,
  socket: { remoteAddress?: string | null } | null | undefined,
  options: ClientIpOptions = {},
): string | undefined {
  const hops = Math.max(0, Math.floor(options.trustedProxies ?? 0))
  if (hops > 0) {
    const forwarded = header(headers, 'x-forwarded-for')
    if (forwarded) {
      const chain = forwarded
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
      const candidate = chain[chain.length - hops] ?? chain[0]
      const ip = candidate ? normalise(candidate) : undefined
      if (ip) return ip.address
    }
  }
  const peer = socket?.remoteAddress ? normalise(socket.remoteAddress) : undefined
  return peer?.address
}
