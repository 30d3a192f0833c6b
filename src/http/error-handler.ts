// Turns every error into problem+json. Client mistakes get 4xx with the field at
// fault; anything unexpected is logged with its stack and answered with a plain
// 500 that carries only the request id, never internals.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { type ErrorDetail, JitgateError } from '../shared/index.ts'
import { problem } from './problem.ts'

interface AjvError {
  readonly instancePath: string
  readonly keyword: string
  readonly message?: string
  readonly params: Record<string, unknown>
}

/** One readable detail per schema violation: the field path and what is wrong with it. */
export function validationDetails(context: string, errors: readonly AjvError[]): ErrorDetail[] {
  return errors.map((e) => {
    let path = `${context}${e.instancePath}`
    let message = e.message ?? 'is invalid'
    if (e.keyword === 'required') {
      path = `${path}/${String(e.params.missingProperty)}`
      message = 'is required'
    } else if (e.keyword === 'additionalProperties') {
      path = `${path}/${String(e.params.additionalProperty)}`
      message = 'is not a known field'
    } else if (e.keyword === 'enum' && Array.isArray(e.params.allowedValues)) {
      message = `must be one of ${e.params.allowedValues.join(', ')}`
    }
    return { path, message }
  })
}

/** Stable codes for Fastify's own client errors, so ours do not change with its internals. */
const FASTIFY_CODES: Readonly<Record<string, string>> = {
  FST_ERR_CTP_INVALID_JSON_BODY: 'invalid_json',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'invalid_json',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported_media_type',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'bad_request',
  FST_ERR_CTP_BODY_TOO_LARGE: 'body_too_large',
}

function send(
  reply: FastifyReply,
  request: FastifyRequest,
  status: number,
  code: string,
  detail: string,
  errors?: readonly ErrorDetail[],
): FastifyReply {
  return reply
    .status(status)
    .type('application/problem+json')
    .send(problem(status, code, detail, request.id, request.url, errors))
}

export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error.validation !== undefined) {
      const details = validationDetails(error.validationContext ?? 'body', error.validation as AjvError[])
      return send(
        reply,
        request,
        400,
        'invalid_request',
        `the request ${error.validationContext ?? 'body'} is invalid: ${details.map((d) => `${d.path} ${d.message}`).join('; ')}`,
        details,
      )
    }
    if (error instanceof JitgateError && error.status < 500) {
      return send(reply, request, error.status, error.code, error.message, error.details)
    }
    const status = error.statusCode ?? 500
    if (status < 500) {
      // Fastify's own client errors (bad JSON, wrong content type, body too large).
      return send(reply, request, status, FASTIFY_CODES[error.code] ?? 'bad_request', error.message)
    }
    request.log.error({ err: error }, 'request failed')
    return send(
      reply,
      request,
      500,
      'internal_error',
      `jitgate could not complete the request; quote request id ${request.id} when reporting it`,
    )
  })
  app.setNotFoundHandler((request, reply) =>
    send(
      reply,
      request,
      404,
      'not_found',
      `no route ${request.method} ${request.url.split('?')[0]}; see /openapi.json for the API`,
    ),
  )
}
