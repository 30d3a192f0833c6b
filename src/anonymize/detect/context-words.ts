// Words that, near a match, make it more (or less) likely to be what its shape says.
// Matched as whole words, lower-cased: "phone" helps a phone number, "iphone" does not.
// English first, then German, French, Spanish, Italian and Dutch, as the templates are.
import type { EntityType } from './entity-types.ts'

const words = (text: string): ReadonlySet<string> => new Set(text.split(/\s+/).filter((w) => w !== ''))

const PASSPORT = 'passport passports pass passno'

/** Words that raise a finding of the type. */
export const CONTEXT_WORDS: Readonly<Partial<Record<EntityType, ReadonlySet<string>>>> = {
  EMAIL_ADDRESS: words('email emails mail mailto address contact courriel correo posta adres'),
  PHONE_NUMBER: words(
    `phone telephone tel mobile cell cellphone call fax landline whatsapp sms dial ring
     telefon telefonnummer handy mobil rufnummer anrufen
     téléphone telephone portable appeler numéro numero
     teléfono telefono móvil movil llamar
     cellulare chiamare
     telefoon mobiel nummer bellen`,
  ),
  CREDIT_CARD: words(
    'card cards credit debit visa mastercard amex maestro cc cardholder kreditkarte karte carte tarjeta carta kaart creditcard',
  ),
  IBAN_CODE: words('iban account bank transfer sepa konto bankverbindung compte cuenta conto rekening'),
  US_SSN: words('ssn ssns social security socialsecurity'),
  IP_ADDRESS: words('ip ipv4 ipv6 address host server client addr'),
  URL: words('url link website site homepage web page'),
  DATE_TIME: words(
    `born birth birthday birthdate dob
     geboren geburtstag geburtsdatum
     né née naissance
     nacido nacida nacimiento
     nato nata nascita
     geboortedatum`,
  ),
  CRYPTO: words('wallet bitcoin btc ethereum eth crypto address send'),
  UK_NHS: words('nhs health'),
  UK_NINO: words('nino insurance ni'),
  US_PASSPORT: words(PASSPORT),
  UK_PASSPORT: words(PASSPORT),
  DE_PASSPORT: words(`${PASSPORT} reisepass reisepassnummer passnummer`),
  FR_PASSPORT: words(`${PASSPORT} passeport`),
  ES_PASSPORT: words(`${PASSPORT} pasaporte`),
  IT_PASSPORT: words(`${PASSPORT} passaporto`),
  NL_PASSPORT: words(`${PASSPORT} paspoort paspoortnummer`),
  ES_NIF: words('nif dni documento identidad fiscal'),
  ES_NIE: words('nie extranjero identidad'),
  IT_FISCAL_CODE: words('codice fiscale cf'),
  NL_BSN: words('bsn burgerservicenummer sofinummer sofi citizen'),
  FR_NIR: words('nir sécurité securite sociale insee numéro numero'),
  DE_TAX_ID: words('steuer steuerid steueridentifikationsnummer identifikationsnummer idnr tin tax'),
  DE_ID_CARD: words('personalausweis ausweis ausweisnummer identity id'),
  PERSON: words(
    `name named called contact customer client patient employee user applicant tenant
     holder signed by dear attn attention from
     kunde kundin herr frau ansprechpartner heißt
     nom appelle madame monsieur
     nombre llama cliente señor señora
     nome chiama signor signora
     naam heet klant meneer mevrouw`,
  ),
  LOCATION: words(
    `address lives live living located city town street
     adresse wohnt wohnhaft stadt straße
     habite ville rue
     dirección direccion vive ciudad calle
     indirizzo abita città via
     adres woont stad straat`,
  ),
}

/**
 * Prepositions that announce a place only when they come before it: "in Berlin", but
 * not "Nice to meet you".
 */
export const CONTEXT_WORDS_BEFORE: Readonly<Partial<Record<EntityType, ReadonlySet<string>>>> = {
  LOCATION: words('in at from to near nach aus bei à au en de desde a da te uit'),
}

/** Words that lower a finding: a version number is not an IP, an order number not a phone. */
export const NEGATIVE_WORDS: Readonly<Partial<Record<EntityType, ReadonlySet<string>>>> = {
  IP_ADDRESS: words('version release build firmware v ver'),
  PHONE_NUMBER: words(
    'order invoice tracking isbn sku serial ref reference ticket shipment parcel case bestellung rechnung commande factura fattura bestelling',
  ),
  US_PASSPORT: words('order invoice tracking'),
  UK_PASSPORT: words('order invoice tracking'),
}
