// The HTTP layer every feature's routes plug into.
export { createHttpServer, type HttpServerOptions } from './create-http-server.ts'
export { ErrorDetailSchema, type Problem, ProblemSchema, problem } from './problem.ts'
