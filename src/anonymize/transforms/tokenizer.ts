// Reversible tokens: `tok_<key id>_<base64url of AES-SIV(value)>`.
//
// AES-SIV rather than AES-GCM with a nonce derived from the value: both are
// deterministic (the same value, purpose and key give the same token, so joins
// work), but SIV is specified for exactly this (RFC 5297, misuse resistant: no nonce
// to get wrong) and its 16-byte tag is the IV, while GCM would need the derived
// nonce (12 bytes) and the tag (16) in every token. Deterministic encryption shows
// which rows share a value; that is the point of a joinable token.
//
// The key id in the token lets a rotated keyring open tokens made under older keys.
// Opening one needs a `data.detokenize` grant (see detokenize-access.ts).
import type { AnonymizeKeys } from '../keys/anonymize-keys.ts'
import { KEY_ID_PATTERN } from '../keys/master-key.ts'
import { AnonymizeError } from './anonymize-error.ts'
import { checkDetokenizeAccess, type DetokenizeAccess } from './detokenize-access.ts'
import { valueText } from './value-text.ts'

export const TOKEN_PREFIX = 'tok_'
/** Tokens are for identifiers and short text, not documents. */
const MAX_VALUE_BYTES = 4096

const encoder = new TextEncoder()
const decoder = new TextDecoder('utf-8', { fatal: true })

/** The tokenizer of one purpose under the keyring's current key. */
export function tokenizer(keys: AnonymizeKeys, purpose: string): (value: unknown) => string {
  const siv = keys.siv(purpose)
  const prefix = `${TOKEN_PREFIX}${keys.currentId}_`
  // Reused for every value: the value's bytes in, the sealed bytes out, no allocation.
  const plain = new Uint8Array(MAX_VALUE_BYTES)
  const sealed = Buffer.alloc(16 + MAX_VALUE_BYTES)
  return (value) => {
    const n = utf8Into(valueText(value, 'token'), plain)
    return prefix + sealed.toString('base64url', 0, siv.sealInto(plain, n, sealed))
  }
}

/** Writes the UTF-8 bytes of `text` into `scratch` and returns their count; ASCII is copied directly. */
function utf8Into(text: string, scratch: Uint8Array): number {
  if (text.length > scratch.length) throw tooLong()
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (c > 0x7f) {
      const { read, written } = encoder.encodeInto(text, scratch)
      if (read < text.length) throw tooLong()
      return written
    }
    scratch[i] = c
  }
  return text.length
}

function tooLong(): AnonymizeError {
  return new AnonymizeError(
    'transform_input_invalid',
    `token takes values of at most ${MAX_VALUE_BYTES} bytes`,
  )
}

/**
 * The value a token stands for, as text (a tokenized number comes back as its
 * decimal text). Refuses (`detokenize_denied`) without an access that covers it,
 * and (`token_invalid`) a token of another purpose or keyring, or an altered one.
 */
export function detokenize(
  keys: AnonymizeKeys,
  purpose: string,
  token: string,
  access: DetokenizeAccess | undefined,
): string {
  checkDetokenizeAccess(access)
  const { keyId, sealed } = parseToken(token)
  const plaintext = keys.siv(purpose, keyId).decrypt(sealed)
  if (plaintext === undefined) throw invalid('it was not made with this purpose and key, or was altered')
  try {
    return decoder.decode(plaintext)
  } catch {
    throw invalid('it does not hold text')
  }
}

function parseToken(token: string): { keyId: string; sealed: Uint8Array } {
  if (typeof token !== 'string' || !token.startsWith(TOKEN_PREFIX))
    throw invalid(`it does not start with '${TOKEN_PREFIX}'`)
  const end = token.indexOf('_', TOKEN_PREFIX.length)
  const keyId = token.slice(TOKEN_PREFIX.length, end)
  const body = token.slice(end + 1)
  if (end < 0 || !KEY_ID_PATTERN.test(keyId) || !/^[A-Za-z0-9_-]{22,}$/.test(body))
    throw invalid(`it is not ${TOKEN_PREFIX}<key id>_<base64url>`)
  return { keyId, sealed: new Uint8Array(Buffer.from(body, 'base64url')) }
}

function invalid(why: string): AnonymizeError {
  return new AnonymizeError('token_invalid', `not a valid token: ${why}`, [
    {
      path: 'token',
      message: why,
      hint: 'pass the token exactly as the masked output gave it, with its purpose',
    },
  ])
}
