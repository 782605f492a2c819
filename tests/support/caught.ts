/** Awaits `promise`, expecting it to fail with an error of `type`; returns that error for assertions. */
import { expect } from 'vitest'

export async function caught<E>(promise: Promise<unknown>, type: new (...args: never[]) => E): Promise<E> {
  try {
    await promise
  } catch (error) {
    expect(error).toBeInstanceOf(type)
    return error as E
  }
  throw new Error(`expected a ${type.name}`)
}
