// The configuration file, `jitgate.yaml`: one schema for every setting, shared with
// `jitgate config schema` and the docs. Keys are camelCase; every setting has
// a default, so an empty file (or none) runs jitgate on its embedded defaults. Durations are
// written as in policies (`30s`, `15m`, `1h`).
import { type Static, Type as T } from '@sinclair/typebox'
import { AuthConfigSchema } from '../auth/index.ts'
import { GatewayConfigSchema } from '../gateway/index.ts'
import { NotifyConfigSchema } from '../notify/index.ts'

const Duration = T.String({
  pattern: '^([0-9]{1,6}[smhdw])+$',
  description: 'a duration such as 30s, 15m, 1h30m',
})
const Name = T.String({ pattern: '^[a-z][a-z0-9_-]*$', description: 'lower case letters, digits, - and _' })

const Store = T.Object(
  {
    url: T.Optional(
      T.String({ minLength: 1, description: 'sqlite:PATH or postgres://USER:PASSWORD@HOST:PORT/DATABASE' }),
    ),
    poolSize: T.Optional(T.Integer({ minimum: 1, maximum: 200 })),
  },
  { additionalProperties: false },
)

const Server = T.Object(
  {
    host: T.Optional(T.String({ minLength: 1 })),
    port: T.Optional(T.Integer({ minimum: 0, maximum: 65535 })),
    publicUrl: T.Optional(T.String({ pattern: '^https?://', description: 'an http(s) URL' })),
    requestLimit: T.Optional(
      T.Object(
        { max: T.Integer({ minimum: 1 }), window: Duration },
        { additionalProperties: false, description: 'approval requests one caller may create per window' },
      ),
    ),
    decisionLimit: T.Optional(
      T.Object(
        { max: T.Integer({ minimum: 1 }), window: Duration },
        { additionalProperties: false, description: 'decisions one caller may ask for per window' },
      ),
    ),
    trustProxy: T.Optional(
      T.Union(
        [T.Integer({ minimum: 0, maximum: 10 }), T.Array(T.String({ minLength: 1 }), { minItems: 1 })],
        {
          description:
            'how many proxies in front of jitgate, or their addresses/CIDRs: the client address is read from X-Forwarded-For only through them',
        },
      ),
    ),
  },
  { additionalProperties: false },
)

const Policies = T.Object(
  {
    dir: T.Optional(T.String({ minLength: 1 })),
    watch: T.Optional(T.Boolean()),
  },
  { additionalProperties: false },
)

const HttpEndpoint = T.Object(
  {
    baseUrl: T.String({ pattern: '^https?://', description: 'an http(s) URL' }),
    methods: T.Optional(T.Array(T.String({ pattern: '^[A-Z]+$' }), { minItems: 1 })),
    paths: T.Optional(T.Array(T.String({ minLength: 1 }), { minItems: 1 })),
  },
  { additionalProperties: false },
)

const Executors = T.Object(
  {
    http: T.Optional(
      T.Object(
        {
          idempotent: T.Optional(T.Boolean()),
          timeout: T.Optional(Duration),
          endpoints: T.Record(Name, HttpEndpoint),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
)

const Work = T.Object(
  {
    sweepEvery: T.Optional(Duration),
    workers: T.Optional(T.Integer({ minimum: 0, maximum: 64 })),
    lease: T.Optional(Duration),
  },
  { additionalProperties: false },
)

const Log = T.Object(
  {
    level: T.Optional(
      T.Union(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((l) => T.Literal(l))),
    ),
  },
  { additionalProperties: false },
)

export const ConfigDocument = T.Object(
  {
    dataDir: T.Optional(T.String({ minLength: 1 })),
    store: T.Optional(Store),
    server: T.Optional(Server),
    policies: T.Optional(Policies),
    log: T.Optional(Log),
    work: T.Optional(Work),
    executors: T.Optional(Executors),
    // The features' own schemas, so their mistakes are found with the rest, at file:line:col.
    auth: T.Optional(AuthConfigSchema),
    gateway: T.Optional(GatewayConfigSchema),
    notify: T.Optional(
      T.Composite(
        [
          T.Omit(NotifyConfigSchema, ['publicUrl']),
          T.Object({ publicUrl: T.Optional(NotifyConfigSchema.properties.publicUrl) }),
        ],
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
)

export type ConfigDoc = Static<typeof ConfigDocument>
export type HttpEndpointDoc = Static<typeof HttpEndpoint>
