// What counts as a secret or as personal data in audit details: by the name of the key
// a value sits under, and, for secrets, by how the text itself looks (a bearer token, a
// JWT, a private key, a password in a URL or a connection string).

export type Sensitivity = 'secret' | 'personal' | 'plain'

// Matched inside the normalized key (lowercase letters and digits only), so `X-Api-Key`,
// `api_key` and `apiKey` all read `apikey`.
const SECRET_FRAGMENTS = [
  'password',
  'passwd',
  'passphrase',
  'pwd',
  'secret',
  'token',
  'apikey',
  'accesskey',
  'privatekey',
  'signingkey',
  'encryptionkey',
  'authorization',
  'cookie',
  'credential',
  'sessionid',
  'bearer',
  'jwt',
  'signature',
]
// Too short to match inside other words (`otp` is in `footprint`), so matched whole.
const SECRET_KEYS = new Set([
  'key',
  'pass',
  'pin',
  'otp',
  'totp',
  'mfa',
  'cvv',
  'cvc',
  'auth',
  'sig',
  'sid',
  'session',
])

/** Key fragments a deployment may configure as personal; none apply unless configured. */
export const DEFAULT_PERSONAL_KEYS: readonly string[] = [
  'email',
  'phone',
  'mobile',
  'ssn',
  'socialsecurity',
  'birth',
  'iban',
  'creditcard',
  'cardnumber',
  'passport',
  'nationalid',
  'taxid',
  'address',
  'firstname',
  'lastname',
  'fullname',
  'surname',
]

/** Lowercase letters and digits only, after NFKC (which folds full-width letters). */
export function normalizeKey(key: string): string {
  return key
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '')
}

/** Classifies keys, remembering the answers: details reuse a few keys over and over. */
export class KeyClassifier {
  readonly #personal: readonly string[]
  readonly #known = new Map<string, Sensitivity>()

  constructor(personalKeys: readonly string[]) {
    this.#personal = personalKeys.map(normalizeKey).filter((k) => k.length > 0)
  }

  classify(key: string): Sensitivity {
    let found = this.#known.get(key)
    if (found === undefined) {
      found = this.#classify(normalizeKey(key))
      // Keys may come from input, so the memory stays bounded.
      if (this.#known.size >= 4096) this.#known.clear()
      this.#known.set(key, found)
    }
    return found
  }

  #classify(key: string): Sensitivity {
    if (SECRET_KEYS.has(key) || SECRET_FRAGMENTS.some((f) => key.includes(f))) return 'secret'
    if (this.#personal.some((f) => key.includes(f))) return 'personal'
    return 'plain'
  }
}

// A cheap test first: most text contains none of these (a URL only counts with userinfo).
const MAYBE_SECRET = /bearer|basic|digest|eyJ|PRIVATE KEY|:\/\/[^\s/@]*@|pass|pwd|secret|token|key/i
const WHOLLY_SECRET =
  /\b(?:bearer|basic|digest)\s+[\w.~+/=-]{6,}|\beyJ[\w-]{4,}\.[\w-]{4,}\.|-----BEGIN [A-Z ]*PRIVATE KEY-----/i
// scheme://user:PASSWORD@host
const URL_PASSWORD = /(\b[a-z][a-z0-9+.-]*:\/\/[^\s/:@]*:)[^\s/@]+@/gi
// password=…, token: …, api_key=… (connection strings, query strings, log lines)
const ASSIGNED_SECRET =
  /\b(password|passwd|pwd|secret|token|api[_-]?key|access[_-]?key)(\s*[=:]\s*)("[^"]*"|'[^']*'|[^\s&;,]+)/gi
// SQL: ALTER ROLE … PASSWORD 'x'
const QUOTED_PASSWORD = /\b(password)(\s+)('[^']*'|"[^"]*")/gi

/** `text` with secrets it carries replaced by `redacted` (the whole text for tokens and keys). */
export function redactSecretText(text: string, redacted: string): string {
  if (!MAYBE_SECRET.test(text)) return text
  if (WHOLLY_SECRET.test(text)) return redacted
  return text
    .replace(URL_PASSWORD, `$1${redacted}@`)
    .replace(ASSIGNED_SECRET, `$1$2${redacted}`)
    .replace(QUOTED_PASSWORD, `$1$2${redacted}`)
}
