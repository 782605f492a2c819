/**
 * Leaky bucket per portal (spec §1.9): +1 per HTTP request (a batch counts once), drains
 * `drainRate` per second; a request that would take the level above `burst` is rejected with
 * HTTP 503 QUERY_LIMIT_EXCEEDED and does not fill the bucket. The real portal also keys the bucket
 * by source IP; the emulator has one bucket per portal.
 */
export interface RateLimitOptions {
  enabled?: boolean
  drainRate?: number
  burst?: number
}

export class LeakyBucket {
  enabled: boolean
  drainRate: number
  burst: number
  private level = 0
  private last: number

  constructor(options: RateLimitOptions = {}, private readonly nowMs: () => number = Date.now) {
    this.enabled = options.enabled ?? true
    this.drainRate = options.drainRate ?? 2
    this.burst = options.burst ?? 50
    this.last = this.nowMs()
  }

  private drain(): void {
    const now = this.nowMs()
    this.level = Math.max(0, this.level - ((now - this.last) / 1000) * this.drainRate)
    this.last = now
  }

  /** Returns false when the request must be rejected. */
  take(): boolean {
    this.drain()
    if (!this.enabled) return true
    if (this.level + 1 > this.burst) return false
    this.level += 1
    return true
  }

  configure(options: RateLimitOptions): void {
    this.drain()
    if (options.enabled !== undefined) this.enabled = options.enabled
    if (options.drainRate !== undefined) this.drainRate = options.drainRate
    if (options.burst !== undefined) this.burst = options.burst
  }

  reset(): void {
    this.level = 0
    this.last = this.nowMs()
  }

  snapshot() {
    this.drain()
    return { enabled: this.enabled, drainRate: this.drainRate, burst: this.burst, level: this.level }
  }
}
