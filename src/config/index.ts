// Configuration: parsed once at start, validated as a whole, frozen.
export {
  ConfigError,
  type ConfigSources,
  type LogLevel,
  loadServerConfig,
  type ServerConfig,
} from './server-config.ts'
