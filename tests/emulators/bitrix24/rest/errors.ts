/** REST error model (spec §1.8). */

export class RestError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly description: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(description || code)
  }

  toBody(): Record<string, unknown> {
    return { error: this.code, error_description: this.description, ...this.extra }
  }
}

/** Legacy `crm.deal.*` / `crm.company.*` style: HTTP 400 with an EMPTY `error` code. */
export const legacyError = (description: string, status = 400) => new RestError(status, '', description)

export const notFoundItem = () => new RestError(400, 'NOT_FOUND', 'Элемент не найден')

export const accessDenied = (description = 'Access denied') => new RestError(403, 'ACCESS_DENIED', description)

export const missingParam = (name: string) =>
  new RestError(400, '100', `Could not find value for parameter {${name}}`)
