// Where and how jitgate reaches one upstream database: address, its own credentials (which
// clients never see), TLS. Built from the configuration (gateway-config.ts).
export type UpstreamTls =
  | { readonly mode: 'disable' }
  | {
      /** require: encrypted, certificate not checked (libpq's sslmode=require); verify-full: checked. */
      readonly mode: 'require' | 'verify-full'
      /** PEM of the certificate authorities to trust; absent: Node's default roots. */
      readonly ca?: string
      /** The name to check the certificate against (default: host). */
      readonly serverName?: string
    }

export interface UpstreamTarget {
  /** The name clients use as `database`. */
  readonly name: string
  readonly host: string
  readonly port: number
  readonly database: string
  readonly user: string
  readonly password?: string
  readonly tls: UpstreamTls
  readonly connectTimeoutMs: number
}
