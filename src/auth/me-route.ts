// GET /v1/me: who the credentials belong to, for any authenticated caller: their user id,
// roles, groups and the permissions those give, so that a client (the CLI's `--mine`, a
// console) can show and filter by it without guessing.
import { Type as T } from '@sinclair/typebox'
import type { FastifyPluginAsync } from 'fastify'
// Not the http index: it imports this feature's index, which exports this route.
import { ProblemSchema } from '../http/problem.ts'
import { AuthenticationError } from './auth-errors.ts'
import { permissionsOf } from './permissions.ts'

const MeSchema = T.Object({
  id: T.String(),
  kind: T.String({ enum: ['api_key', 'oidc'] }),
  roles: T.Array(T.String()),
  groups: T.Array(T.String()),
  permissions: T.Array(T.String()),
  keyId: T.Optional(T.String()),
})

export function meRoute(): FastifyPluginAsync {
  return async (app) => {
    app.get(
      '/v1/me',
      {
        config: { authenticated: true },
        schema: {
          summary: 'Who the credentials belong to',
          description: 'The caller’s user id, roles, groups and the permissions their roles give.',
          tags: ['auth'],
          response: { 200: MeSchema, 401: ProblemSchema },
        },
      },
      async (request) => {
        const principal = request.principal
        if (principal === null) throw new AuthenticationError(undefined)
        return {
          id: principal.id,
          kind: principal.kind,
          roles: [...principal.roles],
          groups: [...principal.groups],
          permissions: permissionsOf(principal),
          ...(principal.keyId === undefined ? {} : { keyId: principal.keyId }),
        }
      },
    )
  }
}
