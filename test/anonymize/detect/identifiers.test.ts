// Checksummed identifiers: real numbers are found with exact spans; look-alikes that fail
// the checksum or the issuing rules are not (or stay below the default threshold).
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { EntityType } from '../../../src/anonymize/detect/index.ts'
import { found } from './detect-helpers.ts'

interface Case {
  readonly type: EntityType
  readonly text: string
  /** The expected match, or null when nothing of the type may be found. */
  readonly match: string | null
}

const c = (type: EntityType, text: string, match: string | null): Case => ({ type, text, match })

const CASES: readonly Case[] = [
  // Payment cards: Luhn and issuer ranges.
  c('CREDIT_CARD', 'card 4111111111111111 on file', '4111111111111111'),
  c('CREDIT_CARD', 'card 4111 1111 1111 1111.', '4111 1111 1111 1111'),
  c('CREDIT_CARD', 'MC 5555-5555-5555-4444 ok', '5555-5555-5555-4444'),
  c('CREDIT_CARD', 'amex 3782 822463 10005', '3782 822463 10005'),
  c('CREDIT_CARD', 'discover 6011111111111117', '6011111111111117'),
  c('CREDIT_CARD', 'mc2 2223003122003222', '2223003122003222'),
  c('CREDIT_CARD', 'number 4111111111111112 fails Luhn', null),
  c('CREDIT_CARD', 'mixed separators 4111 1111-1111 1111', null),
  c('CREDIT_CARD', 'too long 41111111111111110000000', null),
  // IBAN: per-country length and mod 97.
  c('IBAN_CODE', 'IBAN DE89 3704 0044 0532 0130 00.', 'DE89 3704 0044 0532 0130 00'),
  c('IBAN_CODE', 'GB82WEST12345698765432', 'GB82WEST12345698765432'),
  c('IBAN_CODE', 'pay FR1420041010050500013M02606 now', 'FR1420041010050500013M02606'),
  c('IBAN_CODE', 'NL91 ABNA 0417 1643 00 2024', 'NL91 ABNA 0417 1643 00'),
  c('IBAN_CODE', 'IBAN DE89370400440532013001', null),
  c('IBAN_CODE', 'IBAN DE8937040044053201300', null),
  c('IBAN_CODE', 'XX89370400440532013000', null),
  // US SSN: area, group and serial rules.
  c('US_SSN', 'SSN 536-22-1784', '536-22-1784'),
  c('US_SSN', 'SSN 536 22 1784', '536 22 1784'),
  c('US_SSN', 'SSN 000-12-3456', null),
  c('US_SSN', 'SSN 666-12-3456', null),
  c('US_SSN', 'SSN 912-12-3456', null),
  c('US_SSN', 'SSN 536-00-1784', null),
  c('US_SSN', 'SSN 536-22-0000', null),
  c('US_SSN', 'SSN 078-05-1120', null),
  c('US_SSN', 'part 536-22-1784-11', null),
  // Spain: DNI/NIF and NIE control letters.
  c('ES_NIF', 'DNI 12345678Z', '12345678Z'),
  c('ES_NIF', 'DNI 12345678-Z', '12345678-Z'),
  c('ES_NIF', 'DNI 12345678A', null),
  c('ES_NIE', 'NIE X1234567L', 'X1234567L'),
  c('ES_NIE', 'NIE Y-1234567-X', 'Y-1234567-X'),
  c('ES_NIE', 'NIE X1234567A', null),
  // Italy: codice fiscale check character and day field.
  c('IT_FISCAL_CODE', 'CF RSSMRA85T10A562S', 'RSSMRA85T10A562S'),
  c('IT_FISCAL_CODE', 'CF RSSMRA85T10A562T', null),
  c('IT_FISCAL_CODE', 'CF RSSMRA85T99A562S', null),
  // Netherlands: BSN 11-proef (needs its word, as a bare 9-digit number is often something else).
  c('NL_BSN', 'BSN 111222333', '111222333'),
  c('NL_BSN', 'burgerservicenummer: 1234.56.782', '1234.56.782'),
  c('NL_BSN', 'BSN 123456789', null),
  c('NL_BSN', 'ticket 111222333', null),
  // France: NIR key mod 97, Corsica included.
  c('FR_NIR', 'NIR 2 55 08 14 168 025 38', '2 55 08 14 168 025 38'),
  c('FR_NIR', 'NIR 255081416802538', '255081416802538'),
  c('FR_NIR', 'NIR 2 55 08 14 168 025 39', null),
  c('FR_NIR', 'NIR 2 55 13 14 168 025 38', null),
  // UK: NINO prefixes and NHS mod 11.
  c('UK_NINO', 'NI number AB 12 34 56 C', 'AB 12 34 56 C'),
  c('UK_NINO', 'NINO QQ123456C', null),
  c('UK_NINO', 'NINO GB123456A', null),
  c('UK_NINO', 'NINO DA123456A', null),
  c('UK_NINO', 'NINO AO123456A', null),
  c('UK_NHS', 'NHS number 943 476 5919', '943 476 5919'),
  c('UK_NHS', 'NHS number 943 476 5918', null),
  // Germany: Steuer-ID (MOD 11,10 and digit rule), ID card and passport serials (ICAO digit).
  c('DE_TAX_ID', 'Steuer-ID 86095742719', '86095742719'),
  c('DE_TAX_ID', 'Steuer-ID 86095742718', null),
  c('DE_TAX_ID', 'Steuer-ID 11111111110', null),
  c('DE_ID_CARD', 'Ausweis T220001293', 'T220001293'),
  c('DE_ID_CARD', 'Personalausweis LZ6311T47', 'LZ6311T47'),
  c('DE_ID_CARD', 'Ausweis T220001294', null),
  c('DE_PASSPORT', 'Reisepass C01X00T478', 'C01X00T478'),
  c('DE_PASSPORT', 'Reisepass C01X00T47', 'C01X00T47'),
  // Passports without check digits: found with the passport word, not without.
  c('US_PASSPORT', 'passport 340020013', '340020013'),
  c('UK_PASSPORT', 'British passport 340020013', '340020013'),
  c('FR_PASSPORT', 'passeport 12AB34567', '12AB34567'),
  c('ES_PASSPORT', 'pasaporte XDA123456', 'XDA123456'),
  c('IT_PASSPORT', 'passaporto YA1234567', 'YA1234567'),
  c('NL_PASSPORT', 'paspoort NW92BD5K3', 'NW92BD5K3'),
  c('US_PASSPORT', 'order 340020013', null),
  // Crypto: base58check, bech32/bech32m, EIP-55.
  c('CRYPTO', 'send to 1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa', '1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa'),
  c('CRYPTO', 'p2sh 3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy', '3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy'),
  c('CRYPTO', 'bad 1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNb', null),
  c('CRYPTO', 'seg BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4', 'BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4'),
  c(
    'CRYPTO',
    'taproot bc1p5d7rjq7g6rdk2yhzks9smlaqtedr4dekq08ge8ztwac72sfr9rusxg3297',
    'bc1p5d7rjq7g6rdk2yhzks9smlaqtedr4dekq08ge8ztwac72sfr9rusxg3297',
  ),
  c('CRYPTO', 'bad bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t5', null),
  c('CRYPTO', 'eth 0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed', '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed'),
  c('CRYPTO', 'eth 0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359', '0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359'),
  c('CRYPTO', 'eth 0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD', null),
  c(
    'CRYPTO',
    'eth wallet 0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed',
    '0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed',
  ),
  c('CRYPTO', 'tx 0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed5aaeb6053f3e94c9b9a09f33', null),
]

describe('checksummed identifiers', () => {
  for (const { type, text, match } of CASES)
    it(`${type} in '${text}' → ${match ?? 'nothing'}`, () => {
      const hits = found(text, { types: [type] }).filter(([t]) => t === type)
      assert.deepEqual(hits, match === null ? [] : [[type, match]])
    })
})

describe('identifiers in running text', () => {
  it('finds each of several identifiers with its own span', () => {
    const text = 'Card 4111 1111 1111 1111, IBAN DE89 3704 0044 0532 0130 00, SSN 536-22-1784.'
    assert.deepEqual(found(text), [
      ['CREDIT_CARD', '4111 1111 1111 1111'],
      ['IBAN_CODE', 'DE89 3704 0044 0532 0130 00'],
      ['US_SSN', '536-22-1784'],
    ])
  })

  it('reports none of the hard negatives', () => {
    const text =
      'Order #4839201, tracking 1Z999AA10123456784, ISBN 978-3-16-148410-0, at 2024-03-05T10:22:31Z, ' +
      'id 550e8400-e29b-41d4-a716-446655440000, invoice INV-2023-00042, ref 4111111111111112, batch 839201734.'
    assert.deepEqual(found(text), [])
  })
})
