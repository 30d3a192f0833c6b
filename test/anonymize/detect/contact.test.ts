// Emails, phone numbers, URLs, IP addresses and dates of birth: positives with exact
// spans, and the look-alikes (versions, timestamps, file names, order numbers) that are not.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { EntityType } from '../../../src/anonymize/detect/index.ts'
import { found } from './detect-helpers.ts'

const CASES: readonly (readonly [EntityType, string, string | null])[] = [
  ['EMAIL_ADDRESS', 'write to jane.doe+news@mail.example.co.uk.', 'jane.doe+news@mail.example.co.uk'],
  ['EMAIL_ADDRESS', 'françois.müller@exemple.fr', 'françois.müller@exemple.fr'],
  ['EMAIL_ADDRESS', '(bob@example.org)', 'bob@example.org'],
  ['EMAIL_ADDRESS', 'user@localhost', null],
  ['EMAIL_ADDRESS', 'pkg@1.2.3', null],
  ['EMAIL_ADDRESS', 'a..b@example.com', null],
  ['EMAIL_ADDRESS', 'twitter @handle here', null],
  ['PHONE_NUMBER', 'call +1 415-555-2671 now', '+1 415-555-2671'],
  ['PHONE_NUMBER', 'tel. (415) 555-2671', '(415) 555-2671'],
  ['PHONE_NUMBER', 'Telefon 030 1234567', '030 1234567'],
  ['PHONE_NUMBER', 'London +44 20 7946 0958.', '+44 20 7946 0958'],
  ['PHONE_NUMBER', 'portable 06 12 34 56 78', '06 12 34 56 78'],
  ['PHONE_NUMBER', 'móvil +34 612 345 678', '+34 612 345 678'],
  ['PHONE_NUMBER', 'cell 0044 20 7946 0958', '0044 20 7946 0958'],
  ['PHONE_NUMBER', 'phone 4155552671', '4155552671'],
  ['PHONE_NUMBER', 'order 4155552671', null],
  ['PHONE_NUMBER', 'born 12.03.1985', null],
  ['PHONE_NUMBER', 'ISBN 0-306-40615-2', null],
  ['PHONE_NUMBER', 'at 2024-01-15 10:30:00', null],
  ['PHONE_NUMBER', 'host 192.168.100.200', null],
  ['PHONE_NUMBER', 'value 123-45-6789', null],
  ['URL', 'see https://example.org/a_(b)?q=1#x.', 'https://example.org/a_(b)?q=1#x'],
  ['URL', 'see (https://example.org/path).', 'https://example.org/path'],
  ['URL', 'go to www.example.com/help, then', 'www.example.com/help'],
  ['URL', 'visit shop.example.de/kontakt today', 'shop.example.de/kontakt'],
  ['URL', 'open report.pdf or setup.py', null],
  ['URL', 'Paris.It was late', null],
  ['IP_ADDRESS', 'from 192.168.1.20.', '192.168.1.20'],
  ['IP_ADDRESS', 'v6 2001:db8::8a2e:370:7334 ok', '2001:db8::8a2e:370:7334'],
  ['IP_ADDRESS', 'loopback ::1', '::1'],
  ['IP_ADDRESS', 'from 256.1.1.1', null],
  ['IP_ADDRESS', 'release 1.2.3.4', null],
  ['IP_ADDRESS', 'v1.2.3.4', null],
  ['IP_ADDRESS', 'build 1.2.3.4.5', null],
  ['IP_ADDRESS', 'at 12:30:45', null],
  ['IP_ADDRESS', 'mac 00:1a:2b:3c:4d:5e', null],
  ['DATE_TIME', 'born on 12 March 1985', '12 March 1985'],
  ['DATE_TIME', 'DOB: 1985-03-12', '1985-03-12'],
  ['DATE_TIME', 'date of birth 03/12/1985', '03/12/1985'],
  ['DATE_TIME', 'geboren am 12. März 1985', '12. März 1985'],
  ['DATE_TIME', 'née le 1er mars 1985', '1er mars 1985'],
  ['DATE_TIME', 'nacido el 12 de marzo de 1985', '12 de marzo de 1985'],
  ['DATE_TIME', 'nata il 12 marzo 1985', '12 marzo 1985'],
  ['DATE_TIME', 'geboren 12-03-1985', '12-03-1985'],
  ['DATE_TIME', 'born March 12, 1985', 'March 12, 1985'],
  ['DATE_TIME', 'invoice date 2024-03-05', null],
  ['DATE_TIME', 'born 2024-03-05T10:22:31Z', null],
  ['DATE_TIME', 'born 31.02.1985', null],
]

describe('contact data, addresses on the net, and dates of birth', () => {
  for (const [type, text, match] of CASES)
    it(`${type} in '${text}' → ${match ?? 'nothing'}`, () => {
      const hits = found(text, { types: [type] })
      assert.deepEqual(hits, match === null ? [] : [[type, match]])
    })
})

describe('phone numbers among other numbers', () => {
  it('drops a trailing count but keeps the number', () => {
    assert.deepEqual(found('call (415) 555-2671 2 times', { types: ['PHONE_NUMBER'] }), [
      ['PHONE_NUMBER', '(415) 555-2671'],
    ])
  })

  it('does not cut a card number into a phone number', () => {
    assert.deepEqual(found('ref 4539 1488 0343 6467', { types: ['PHONE_NUMBER'] }), [])
  })

  it('takes national formats only from the regions asked for', () => {
    assert.deepEqual(found('tel 030 1234567', { types: ['PHONE_NUMBER'], phoneRegions: ['US'] }), [])
    assert.deepEqual(found('tel +49 30 1234567', { types: ['PHONE_NUMBER'], phoneRegions: ['US'] }), [
      ['PHONE_NUMBER', '+49 30 1234567'],
    ])
  })
})
