// The version of this build, from package.json.
import { createRequire } from 'node:module'

const pkg = createRequire(import.meta.url)('../../package.json') as { version: string }
export const JITGATE_VERSION: string = pkg.version
