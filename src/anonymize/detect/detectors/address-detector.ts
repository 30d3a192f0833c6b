// Street addresses in the six languages' usual orders: "221B Baker Street", "Hauptstraße 5",
// "Berliner Straße 12", "12 rue de la Paix", "Calle Mayor, 10", "Via Roma 15", "Kerkstraat 12",
// optionally followed by a postcode and town ("10115 Berlin", "London NW1 6XE",
// "Springfield, IL 62704"). Every part is bounded, so no input can make a pattern backtrack far.
import type { PiiFinding } from '../entity-types.ts'
import { LATIN_LOWER, LATIN_UPPER, MARKS, touchesWord } from '../text-scan.ts'
import type { Detector, ScanInput } from './detector.ts'
import { matches } from './detector.ts'
import { CITIES } from './place-lexicon.ts'

const UPPER = `[${LATIN_UPPER}]`
const LOWER = `[${LATIN_LOWER}${MARKS}]`
const CAP = `${UPPER}[${LATIN_LOWER}${MARKS}'’]{1,30}(?:-${UPPER}?[${LATIN_LOWER}${MARKS}'’]{1,30})?`
const NUM = '\\d{1,5}(?:[ /]?[a-zA-Z](?![A-Za-z0-9]))?'
const BEFORE = '(?<![A-Za-z0-9_])'
const AFTER = '(?![A-Za-z0-9_])'
const either = (words: string): string =>
  words
    .split(' ')
    .map((w) => `[${w[0]?.toUpperCase()}${w[0]}]${w.slice(1).replace('.', '\\.')}`)
    .join('|')

const EN_TYPES =
  'Street|St\\.?|Avenue|Ave\\.?|Road|Rd\\.?|Lane|Ln\\.?|Boulevard|Blvd\\.?|Drive|Court|Ct\\.?|Place|Square|Way|Terrace|Close|Crescent|Gardens|Parkway|Highway|Row|Mews|Walk'
const DE_SUFFIX =
  'straße|strasse|str\\.|weg|platz|allee|gasse|ring|damm|ufer|chaussee|steig|pfad|markt|graben'
const DE_WORD = 'Straße|Strasse|Str\\.|Weg|Platz|Allee|Gasse|Ring|Damm|Ufer|Chaussee'
const NL_SUFFIX = 'straat|laan|weg|plein|gracht|kade|singel|dijk|steeg|hof|markt|park'
const FR_TYPES = either('rue avenue boulevard bd place chemin allée impasse quai route cours square')
const ES_TYPES = `${either('calle avenida avda. plaza paseo camino ronda carretera travesía')}|C/`
const IT_TYPES = either('via viale piazza piazzale corso largo vicolo strada')
const FR_LINK = "(?:de la |de l'|du |des |de |d'|la |le |les )"
const ES_LINK = '(?:de la |de los |de las |del |de )'
const IT_LINK = '(?:del |della |dei |degli |delle |dello |di |da |San |Santa )'

/** A street pattern and a cheap test for the words it needs, run first to skip most texts. */
interface Street {
  readonly needs: RegExp
  readonly pattern: RegExp
}

const street = (needs: string, source: string): Street => ({
  needs: new RegExp(needs),
  pattern: new RegExp(source, 'g'),
})

const STREETS: readonly Street[] = [
  street(`[a-z] (?:${EN_TYPES})`, `${BEFORE}${NUM},? (?:${CAP} ){1,3}(?:${EN_TYPES})${AFTER}`),
  street(
    `(?:${DE_SUFFIX}|${DE_WORD}) \\d`,
    `${BEFORE}(?:${CAP}[ -])?${UPPER}${LOWER}{1,30}(?:${DE_SUFFIX}|[ -](?:${DE_WORD})) ${NUM}${AFTER}`,
  ),
  street(`(?:${NL_SUFFIX}) \\d`, `${BEFORE}${UPPER}${LOWER}{1,30}(?:${NL_SUFFIX}) ${NUM}${AFTER}`),
  street(
    `\\d,? (?:bis |ter )?(?:${FR_TYPES}) `,
    `${BEFORE}${NUM}(?: bis| ter)?,? (?:${FR_TYPES}) ${FR_LINK}?${CAP}(?: ${FR_LINK}?${CAP}){0,3}${AFTER}`,
  ),
  street(
    `(?:${ES_TYPES}) `,
    `${BEFORE}(?:${ES_TYPES}) ${ES_LINK}?${CAP}(?: ${ES_LINK}?${CAP}){0,3},? (?:n[º°o]\\.? ?)?${NUM}${AFTER}`,
  ),
  street(
    `(?:${IT_TYPES}) `,
    `${BEFORE}(?:${IT_TYPES}) ${IT_LINK}?${CAP}(?: ${IT_LINK}?${CAP}){0,3},? ${NUM}${AFTER}`,
  ),
]

const UK_POSTCODE = '[A-Z]{1,2}\\d[A-Z\\d]? ?\\d[A-Z]{2}'
// ", 10115 Berlin", " 1012 AB Amsterdam", ", London NW1 6XE", ", Springfield, IL 62704".
const TAIL = new RegExp(
  `,? (?:(\\d{5}|\\d{4}(?: ?[A-Z]{2}(?![A-Za-z]))?) )?(${CAP}(?: ${CAP}){0,2})(?:,? ([A-Z]{2}) (\\d{5}(?:-\\d{4})?))?(?: (${UK_POSTCODE}))?${AFTER}`,
  'y',
)

/** End of the town part after a street ending at `at`, or `at` when there is none worth taking. */
function tailEnd(text: string, at: number): number {
  TAIL.lastIndex = at
  const m = TAIL.exec(text)
  if (m === null) return at
  const [, postcode, town = '', state, , ukPostcode] = m
  // A bare capitalised word after a comma may start the next clause; accept it as a town
  // only with a postcode, a US state and ZIP, or when it is a known town.
  if (postcode !== undefined || state !== undefined || ukPostcode !== undefined || CITIES.has(town))
    return TAIL.lastIndex
  return at
}

export const addressDetector: Detector = {
  name: 'address',
  types: ['LOCATION'],
  scan({ text }: ScanInput, out: PiiFinding[]): void {
    // Every address has a house number.
    if (!/\d/.test(text)) return
    for (const { needs, pattern } of STREETS) {
      if (!needs.test(text)) continue
      for (const m of matches(pattern, text)) {
        const streetEnd = m.index + m[0].length
        if (touchesWord(text, m.index, streetEnd)) continue
        const end = tailEnd(text, streetEnd)
        const score = end > streetEnd ? 0.85 : 0.7
        out.push({ type: 'LOCATION', start: m.index, end, score, detector: 'address' })
      }
    }
  },
}
