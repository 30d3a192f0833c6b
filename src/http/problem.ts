// RFC 9457 problem details: the one shape every API error takes.
import { Type as T } from '@sinclair/typebox'
import type { ErrorDetail } from '../shared/index.ts'

/** What went wrong and where: a field path, or file:line:column, with a hint to fix it. */
export const ErrorDetailSchema = T.Object({
  path: T.Optional(T.String()),
  file: T.Optional(T.String()),
  line: T.Optional(T.Integer()),
  column: T.Optional(T.Integer()),
  message: T.String(),
  hint: T.Optional(T.String()),
})

export const ProblemSchema = T.Object({
  type: T.String(),
  title: T.String(),
  status: T.Integer(),
  code: T.String({ description: 'stable machine-readable error code' }),
  detail: T.String(),
  instance: T.Optional(T.String()),
  requestId: T.String(),
  errors: T.Optional(T.Array(ErrorDetailSchema)),
})

export interface Problem {
  readonly type: string
  readonly title: string
  readonly status: number
  readonly code: string
  readonly detail: string
  readonly instance?: string
  readonly requestId: string
  readonly errors?: readonly ErrorDetail[]
}

const TITLES: Readonly<Record<number, string>> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
}

export function problem(
  status: number,
  code: string,
  detail: string,
  requestId: string,
  instance?: string,
  errors?: readonly ErrorDetail[],
): Problem {
  return {
    type: `https://jitgate.dev/problems/${code.replaceAll('_', '-')}`,
    title: TITLES[status] ?? 'Error',
    status,
    code,
    detail,
    ...(instance === undefined ? {} : { instance }),
    requestId,
    ...(errors === undefined || errors.length === 0 ? {} : { errors }),
  }
}
