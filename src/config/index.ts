// Configuration: one schema for every setting, read once at start from the file, the
// environment and flags, validated as a whole, frozen.
export { type ConfigDoc, ConfigDocument } from './config-schema.ts'
export { ConfigError, type ConfigSources, loadConfig } from './load-config.ts'
export { type ReadConfigOptions, readConfig } from './read-config.ts'
export type { HttpEndpointConfig, JitgateConfig, LogLevel } from './resolve-settings.ts'
