/** Calls to an emulator's control routes (`/__emulator…`), shared by every emulator. */

/** One control call; the body is the parsed JSON reply, if any. */
export type EmulatorControl = (method: string, path: string, body?: unknown) => Promise<{ status: number; body: any }>

export function emulatorControl(baseUrl: string): EmulatorControl {
  return async (method, path, body) => {
    const res = await fetch(`${baseUrl}/__emulator${path}`, {
      method,
      headers: { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    })
    const text = await res.text()
    return { status: res.status, body: text ? JSON.parse(text) : undefined }
  }
}
