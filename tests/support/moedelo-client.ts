/**
 * The MoeDelo client against a fresh emulator over HTTP, for the client's own tests: the emulator,
 * a client on one API key, the emulator's control routes, and the client's errors.
 */
import { ApiKeyCredentials, MoeDeloClient, MoeDeloError } from '@/lib/moedelo'
import { startMoeDeloEmulator, type MoeDeloEmulator, type MoeDeloEmulatorOptions } from '@/tests/emulators/moedelo'
import { caught } from './caught'
import { emulatorControl, type EmulatorControl } from './emulator-control'

export interface EmulatedClient {
  emu: MoeDeloEmulator
  /** A client on `apiKey`. */
  client: MoeDeloClient
  control: EmulatorControl
}

export async function startEmulatedClient(
  emulator: MoeDeloEmulatorOptions,
  { apiKey, timeoutMs = 10_000 }: { apiKey: string; timeoutMs?: number },
): Promise<EmulatedClient> {
  const emu = await startMoeDeloEmulator(emulator)
  const client = new MoeDeloClient({ baseUrl: emu.url, credentials: new ApiKeyCredentials(apiKey), timeoutMs })
  return { emu, client, control: emulatorControl(emu.url) }
}

/** Awaits `promise`, expecting a MoeDeloError; returns it. */
export const moedeloError = (promise: Promise<unknown>): Promise<MoeDeloError> => caught(promise, MoeDeloError)
