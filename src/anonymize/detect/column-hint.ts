// Reads a column name (`email`, `phoneNumber`, `billing_street`, `Nachname`) as a hint:
// which types to expect in its values, and whether the whole value is a name or an
// address, which no pattern could tell from a bare "Smith" or "Springfield".
import type { EntityType } from './entity-types.ts'

export interface ColumnHint {
  /** Types whose findings get a higher score in this column. */
  readonly boost: ReadonlySet<EntityType>
  /** The whole value is this, when its shape allows. */
  readonly whole: 'PERSON' | 'LOCATION' | undefined
}

const table = (entries: Record<string, string>): ReadonlyMap<string, readonly EntityType[]> =>
  new Map(
    Object.entries(entries).flatMap(([types, tokens]) =>
      tokens.split(/\s+/).map((t) => [t, types.split(',') as EntityType[]] as const),
    ),
  )

const PASSPORTS = 'US_PASSPORT,UK_PASSPORT,DE_PASSPORT,FR_PASSPORT,ES_PASSPORT,IT_PASSPORT,NL_PASSPORT'

/** Token → types it hints at. Tokens come from splitting snake, kebab and camel case. */
const TOKENS = table({
  EMAIL_ADDRESS: 'email emails mail mailaddress emailaddress courriel correo',
  PHONE_NUMBER:
    'phone phones telephone tel mobile cell cellphone fax msisdn telefon handy telefono movil cellulare telefoon mobiel',
  CREDIT_CARD: 'card cc pan creditcard cardnumber kreditkarte',
  IBAN_CODE: 'iban',
  US_SSN: 'ssn',
  IP_ADDRESS: 'ip ipaddr ipv4 ipv6 ipaddress',
  URL: 'url website homepage link uri',
  DATE_TIME:
    'dob birth birthday birthdate geburtsdatum geburtstag naissance nacimiento nascita geboortedatum',
  CRYPTO: 'wallet btc eth bitcoin ethereum crypto',
  UK_NHS: 'nhs',
  UK_NINO: 'nino',
  [PASSPORTS]: 'passport reisepass passeport pasaporte passaporto paspoort',
  'ES_NIF,ES_NIE': 'nif dni nie',
  IT_FISCAL_CODE: 'codicefiscale fiscale cf',
  NL_BSN: 'bsn burgerservicenummer sofinummer',
  FR_NIR: 'nir insee secu',
  DE_TAX_ID: 'steuerid steueridentifikationsnummer idnr',
  DE_ID_CARD: 'personalausweis ausweis ausweisnummer',
})

const PERSON_TOKENS = new Set(
  `name names fullname firstname lastname surname forename givenname familyname middlename
   maidenname nickname contactname holder cardholder
   vorname nachname familienname nom prenom prénom nombre apellido apellidos nome cognome
   naam voornaam achternaam`.split(/\s+/),
)
/** Words that turn `name` into something else: a product name is not a person. */
const NOT_A_PERSON = new Set(
  `product file company org organisation organization business table column host domain app
   brand item category bucket key class type event field schema db database server service
   project team group role tag department dept branch store shop vendor supplier merchant bank
   display user account plan package module feature job task queue device model`.split(/\s+/),
)
const LOCATION_TOKENS = new Set(
  `address addr street city town postcode zip zipcode postal country region county province
   adresse strasse straße ort stadt wohnort ville rue calle ciudad direccion dirección
   indirizzo citta città adres straat woonplaats plaats stad residence location`.split(/\s+/),
)
/** These name a place even when next to `name` (street_name, city_name). */
const PLACE_QUALIFIERS = new Set(['street', 'city', 'town', 'country', 'place', 'location'])

/** Lower-case tokens of a column name: `billingStreet_2` → billing, street, 2. */
export function columnTokens(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((t) => t !== '')
}

export function parseColumnHint(name: string): ColumnHint {
  const tokens = columnTokens(name)
  const boost = new Set<EntityType>()
  for (const t of [...tokens, tokens.join('')]) for (const type of TOKENS.get(t) ?? []) boost.add(type)
  // `id_card` is an identity card, not a payment card.
  if (tokens.includes('id') || tokens.includes('identity')) boost.delete('CREDIT_CARD')
  const joined = tokens.join('')
  const placeQualified = tokens.some((t) => PLACE_QUALIFIERS.has(t))
  const personish = tokens.some((t) => PERSON_TOKENS.has(t)) || PERSON_TOKENS.has(joined)
  let whole: ColumnHint['whole']
  if (tokens.some((t) => LOCATION_TOKENS.has(t)) || (personish && placeQualified)) whole = 'LOCATION'
  else if (personish && !tokens.some((t) => NOT_A_PERSON.has(t))) whole = 'PERSON'
  // Email and IP "addresses" are not postal ones.
  if (whole === 'LOCATION' && (boost.has('EMAIL_ADDRESS') || boost.has('IP_ADDRESS') || boost.has('CRYPTO')))
    whole = undefined
  if (whole !== undefined) boost.add(whole)
  return { boost, whole }
}
