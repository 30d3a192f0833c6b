// The detectors detectPii runs, in the order it runs them. Order does not change the
// result (overlaps are resolved by score); cheap detectors that often bail out come first.
import { addressDetector } from './address-detector.ts'
import { cardDetector } from './card-detector.ts'
import { cryptoDetector } from './crypto-detector.ts'
import { dateDetector } from './date-detector.ts'
import { deIdDetector } from './de-id-detector.ts'
import type { Detector } from './detector.ts'
import { emailDetector } from './email-detector.ts'
import { esIdDetector } from './es-id-detector.ts'
import { gbIdDetector } from './gb-id-detector.ts'
import { ibanDetector } from './iban-detector.ts'
import { ipDetector } from './ip-detector.ts'
import { itIdDetector } from './it-id-detector.ts'
import { nlFrIdDetector } from './nl-fr-id-detector.ts'
import { passportDetector } from './passport-detector.ts'
import { personDetector } from './person-detector.ts'
import { phoneDetector } from './phone-detector.ts'
import { placeDetector } from './place-detector.ts'
import { urlDetector } from './url-detector.ts'
import { usSsnDetector } from './us-ssn-detector.ts'

export const DETECTORS: readonly Detector[] = [
  emailDetector,
  urlDetector,
  ipDetector,
  cryptoDetector,
  ibanDetector,
  cardDetector,
  usSsnDetector,
  esIdDetector,
  itIdDetector,
  nlFrIdDetector,
  gbIdDetector,
  deIdDetector,
  passportDetector,
  dateDetector,
  phoneDetector,
  personDetector,
  placeDetector,
  addressDetector,
]
