// Person names from capitalised words: after a title (Mr, Frau, Mme, Sra., Sig.ra,
// Dhr.) anything capitalised is a name; otherwise a known given name followed by more
// capitalised words, or a known surname at the end, makes one. Unknown capitalised pairs
// score low, so that only a context word ("customer", "name", "Kunde") lifts them.
import { CONTEXT_WORDS } from '../context-words.ts'
import type { PiiFinding } from '../entity-types.ts'
import { capitalisedWords, joinsName, startsSentence } from './capitalised-words.ts'
import type { CapitalisedWord, Detector, ScanInput } from './detector.ts'
import { GIVEN_NAMES, NOT_NAMES, PARTICLES, SURNAMES, TITLES } from './name-lexicon.ts'
import { CITIES, COUNTRIES } from './place-lexicon.ts'

const MAX_RUN = 5
/** "Customer", "Klant", "Cliente" before a name are context, not part of it. */
const PERSON_WORDS = CONTEXT_WORDS.PERSON ?? new Set<string>()

/** The title right before `at` ("Mr. ", "Sig.ra ", "Frau "), lower-cased without dots, if any. */
function titleBefore(text: string, at: number): boolean {
  let i = at - 1
  if (text.charCodeAt(i) !== 32) return false
  i--
  if (text.charCodeAt(i) === 46) i--
  const end = i + 1
  let n = 0
  while (i >= 0 && n < 12 && /[\p{L}.]/u.test(text[i] ?? '')) {
    i--
    n++
  }
  return TITLES.has(
    text
      .slice(i + 1, end)
      .replaceAll('.', '')
      .toLowerCase(),
  )
}

const known = (w: CapitalisedWord | undefined): boolean =>
  w !== undefined && (GIVEN_NAMES.has(w.text) || SURNAMES.has(w.text))

/** Start of the lower-case name particles ("van der ") right before `at`, or `at`. */
function particlesBefore(text: string, at: number): number {
  let start = at
  for (let n = 0; n < 3; n++) {
    const space = text.lastIndexOf(' ', start - 2)
    const word = text.slice(space + 1, start - 1)
    if (text.charCodeAt(start - 1) !== 32 || !PARTICLES.has(word)) break
    start = space + 1
  }
  return start
}

function isPlace(words: readonly CapitalisedWord[], text: string): boolean {
  const first = words[0]
  const last = words[words.length - 1]
  if (first === undefined || last === undefined) return false
  const phrase = text.slice(first.start, last.end)
  return CITIES.has(phrase) || COUNTRIES.has(phrase)
}

function score(run: readonly CapitalisedWord[], titled: boolean, text: string): number {
  const first = run[0]
  const last = run[run.length - 1]
  if (first === undefined || last === undefined) return 0
  if (titled) return 0.9
  if (run.length >= 2) {
    if (GIVEN_NAMES.has(first.text)) return 0.85
    if (SURNAMES.has(last.text)) return 0.75
    return 0.3
  }
  if (!GIVEN_NAMES.has(first.text)) return 0
  // A lone given name opening a sentence is as often a word ("Mark", "Grace") as a person.
  return startsSentence(text, first.start) ? 0.3 : 0.55
}

function emit(run: CapitalisedWord[], input: ScanInput, out: PiiFinding[]): void {
  const { text } = input
  let titled = false
  // Leading titles and sentence words are not part of the name: "Dear Mr John Smith".
  while (run.length > 0) {
    const head = run[0] as CapitalisedWord
    const lower = head.text.replace('.', '').toLowerCase()
    if (run.length > 1 && TITLES.has(lower)) titled = true
    else if (!NOT_NAMES.has(head.text) && !PERSON_WORDS.has(lower) && !head.initial) break
    run.shift()
  }
  // A sentence's first word is capitalised whatever it is: "Reach Anna Smith via…".
  while (
    run.length > 2 &&
    startsSentence(text, (run[0] as CapitalisedWord).start) &&
    !known(run[0]) &&
    run.slice(1).some(known)
  )
    run.shift()
  const stop = run.findIndex((w) => NOT_NAMES.has(w.text))
  if (stop >= 0) run.length = stop
  while (run.length > 0 && (run[run.length - 1] as CapitalisedWord).initial) run.pop()
  const first = run[0]
  const last = run[run.length - 1]
  if (first === undefined || last === undefined || isPlace(run, text)) return
  // "Meneer de Vries", "Herr von Weber": particles between the title and the name belong to it.
  const start = particlesBefore(text, first.start)
  titled ||= titleBefore(text, start)
  const s = score(run, titled, text)
  if (s > 0)
    out.push({
      type: 'PERSON',
      start: titled ? start : first.start,
      end: last.end,
      score: s,
      detector: 'person',
    })
}

export const personDetector: Detector = {
  name: 'person',
  types: ['PERSON'],
  scan(input: ScanInput, out: PiiFinding[]): void {
    const words = capitalisedWords(input)
    let i = 0
    while (i < words.length) {
      const run: CapitalisedWord[] = [words[i] as CapitalisedWord]
      let j = i + 1
      for (; j < words.length && run.length < MAX_RUN; j++) {
        const prev = run[run.length - 1] as CapitalisedWord
        const next = words[j] as CapitalisedWord
        // An initial's dot ends the word, so "F. Kennedy" joins by one space after it.
        if (!joinsName(input.text, prev.end, next.start, PARTICLES)) break
        run.push(next)
      }
      emit(run, input, out)
      i = j
    }
  },
}
