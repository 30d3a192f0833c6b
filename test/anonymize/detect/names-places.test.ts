// Person names and places: titles, known given names and surnames, context words, name
// particles, streets in six languages with their towns, and the capitalised words that are
// neither (sentence starts, German nouns, title case).
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { found } from './detect-helpers.ts'

const people = (text: string) => found(text, { types: ['PERSON'] }).map(([, s]) => s)
const places = (text: string) => found(text, { types: ['LOCATION'] }).map(([, s]) => s)

describe('person names', () => {
  const CASES: readonly (readonly [string, readonly string[]])[] = [
    ['Please contact John Smith today.', ['John Smith']],
    ['Dear Mr. Pemberton, thank you.', ['Pemberton']],
    ['Sehr geehrte Frau Müller,', ['Müller']],
    ['Mme Dupont habite ici.', ['Dupont']],
    ['La Sig.ra Rossi ha chiamato.', ['Rossi']],
    ['Meneer de Vries woont hier.', ['de Vries']],
    ['Klant Jan van der Berg betaalde.', ['Jan van der Berg']],
    ["Mary O'Brien-Smith signed it.", ["Mary O'Brien-Smith"]],
    ['Reach Anna Schmidt via email.', ['Anna Schmidt']],
    ['customer Oluwaseun Adeyemi called', ['Oluwaseun Adeyemi']],
    ['Call me tomorrow, Emily.', ['Emily']],
    ['The Quarterly Report is attached.', []],
    ['Please Review The Attached Document Before Friday.', []],
    ['Die Rechnung Nummer liegt bei.', []],
    ['She moved to New York.', []],
  ]
  for (const [text, expected] of CASES)
    it(`'${text}' → ${expected.join(', ') || 'nobody'}`, () => assert.deepEqual(people(text), expected))
})

describe('places and street addresses', () => {
  const CASES: readonly (readonly [string, readonly string[]])[] = [
    ['She lives in Berlin.', ['Berlin']],
    ['From New York to Frankfurt am Main.', ['New York', 'Frankfurt am Main']],
    ['Ship to 221B Baker Street, London NW1 6XE.', ['221B Baker Street, London NW1 6XE']],
    [
      'Office: 1600 Pennsylvania Avenue, Washington, DC 20500',
      ['1600 Pennsylvania Avenue, Washington, DC 20500'],
    ],
    ['Herr Weber wohnt in der Hauptstraße 5, 10115 Berlin.', ['Hauptstraße 5, 10115 Berlin']],
    ['Adresse: Berliner Straße 12a', ['Berliner Straße 12a']],
    ['Elle habite au 12 rue de la Paix, 75002 Paris.', ['12 rue de la Paix, 75002 Paris']],
    ['Vive en Calle de Alcalá, 45, 28014 Madrid.', ['Calle de Alcalá, 45, 28014 Madrid']],
    ['Abita in Via Giuseppe Garibaldi 7, 20121 Milano.', ['Via Giuseppe Garibaldi 7, 20121 Milano']],
    ['Woont op Kerkstraat 12, 1017 GC Amsterdam.', ['Kerkstraat 12, 1017 GC Amsterdam']],
    ['Baker Street, John said, was busy.', []],
    ['Nice to meet you.', []],
  ]
  for (const [text, expected] of CASES)
    it(`'${text}' → ${expected.join(' | ') || 'nothing'}`, () => assert.deepEqual(places(text), expected))
})
