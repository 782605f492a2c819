/**
 * A Router with fallbacks: routes whose path is a runtime switch (the bill PDF route, spec §4.6)
 * are matched only after every fixed route, so they never shadow routes other modules add later.
 */
import { Router, type Handler, type RouteParams } from '../shared/http'

export type FallbackMatcher = (method: string, path: string) => { handler: Handler; params: RouteParams } | undefined

export class DynamicRouter extends Router {
  private readonly fallbacks: FallbackMatcher[] = []

  fallback(matcher: FallbackMatcher): this {
    this.fallbacks.push(matcher)
    return this
  }

  override match(method: string, path: string): { handler: Handler; params: RouteParams } | undefined {
    const hit = super.match(method, path)
    if (hit) return hit
    for (const matcher of this.fallbacks) {
      const found = matcher(method, path)
      if (found) return found
    }
    return undefined
  }
}

/** `/a/:id/pdf` → a case-insensitive regex with named groups; `*rest` takes the rest of the path. */
export function compilePathPattern(pattern: string): RegExp {
  const source = pattern
    .split('/')
    .map((segment) => {
      if (segment.startsWith(':')) return `(?<${segment.slice(1)}>[^/]+)`
      if (segment.startsWith('*')) return `(?<${segment.slice(1)}>.*)`
      return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
    })
    .join('/')
  return new RegExp(`^${source}/?$`, 'i')
}
