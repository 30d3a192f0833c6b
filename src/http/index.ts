// The HTTP layer every feature's routes plug into.

export { type AuthenticationOptions, authentication, originOf, principalOf } from './authenticate.ts'
export { type CallerLimit, CallerRateLimit, CallerRateLimitedError } from './caller-rate-limit.ts'
export { createHttpServer, type HttpServerOptions } from './create-http-server.ts'
export { docsPage, renderDocs } from './docs-page.ts'
export { ErrorDetailSchema, type Problem, ProblemSchema, problem } from './problem.ts'
export { EventStream, type EventStreamOptions } from './server-sent-events.ts'
