'use client'
/**
 * The one B24Frame of this page. `initializeB24Frame()` must run once per page: React StrictMode
 * mounts effects twice, so the promise lives at module level and is never destroyed on unmount.
 */
import { initializeB24Frame, type B24Frame } from '@bitrix24/b24jssdk'

let framePromise: Promise<B24Frame> | undefined

export function getB24Frame(): Promise<B24Frame> {
  framePromise ??= initializeB24Frame().catch((error: unknown) => {
    framePromise = undefined
    throw error
  })
  return framePromise
}
