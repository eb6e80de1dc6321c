// Address handling: the house number split from the street, and the two one-line forms the
// order shows (`info.location` without the country, `address.full_address` ending with it).

export interface AddressInput {
  street: string;
  suite?: string | null;
  city: string;
  state?: string | null;
  postalCode?: string | null;
  country: string;
}

export interface Address {
  street: string;
  number: string | null;
  suite: string | null;
  city: string;
  state: string | null;
  postalCode: string | null;
  country: string;
}

/** Trimmed text, or null when empty. */
export function cleanText(value: string | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  const v = value.replace(/\s+/g, ' ').trim();
  return v === '' ? null : v;
}

// A leading house number: "521", "12B", "2361-73", "10½" is not supported; "1/2" forms are rare.
const HOUSE_NUMBER = /^(\d+[A-Za-z]?(?:[-/]\d+[A-Za-z]?)?)(?:,)?\s+(.+)$/;

/** "521 Brightfield Road" → { number: "521", street: "Brightfield Road" }. */
export function splitHouseNumber(street: string): { number: string | null; street: string } {
  const s = cleanText(street) ?? '';
  const m = HOUSE_NUMBER.exec(s);
  return m ? { number: m[1]!, street: m[2]! } : { number: null, street: s };
}

export function normalizeAddress(input: AddressInput): Address {
  const { number, street } = splitHouseNumber(input.street);
  return {
    street,
    number,
    suite: cleanText(input.suite),
    city: cleanText(input.city) ?? '',
    state: cleanText(input.state),
    postalCode: cleanText(input.postalCode),
    country: cleanText(input.country) ?? '',
  };
}

const US_STATES: Record<string, string> = {
  alabama: 'AL',
  alaska: 'AK',
  arizona: 'AZ',
  arkansas: 'AR',
  california: 'CA',
  colorado: 'CO',
  connecticut: 'CT',
  delaware: 'DE',
  'district of columbia': 'DC',
  florida: 'FL',
  georgia: 'GA',
  hawaii: 'HI',
  idaho: 'ID',
  illinois: 'IL',
  indiana: 'IN',
  iowa: 'IA',
  kansas: 'KS',
  kentucky: 'KY',
  louisiana: 'LA',
  maine: 'ME',
  maryland: 'MD',
  massachusetts: 'MA',
  michigan: 'MI',
  minnesota: 'MN',
  mississippi: 'MS',
  missouri: 'MO',
  montana: 'MT',
  nebraska: 'NE',
  nevada: 'NV',
  'new hampshire': 'NH',
  'new jersey': 'NJ',
  'new mexico': 'NM',
  'new york': 'NY',
  'north carolina': 'NC',
  'north dakota': 'ND',
  ohio: 'OH',
  oklahoma: 'OK',
  oregon: 'OR',
  pennsylvania: 'PA',
  'rhode island': 'RI',
  'south carolina': 'SC',
  'south dakota': 'SD',
  tennessee: 'TN',
  texas: 'TX',
  utah: 'UT',
  vermont: 'VT',
  virginia: 'VA',
  washington: 'WA',
  'west virginia': 'WV',
  wisconsin: 'WI',
  wyoming: 'WY',
  'puerto rico': 'PR',
};

const US_NAMES = new Set(['united states', 'united states of america', 'usa', 'us']);

/** US states are abbreviated in `full_address` (as CubiCasa shows them); other regions stay as given. */
function stateForFullAddress(a: Address): string | null {
  if (!a.state) return null;
  return US_NAMES.has(a.country.toLowerCase()) ? (US_STATES[a.state.toLowerCase()] ?? a.state) : a.state;
}

function houseLine(a: Address): string {
  return [a.number, a.street, a.suite].filter(Boolean).join(' ');
}

/** "521 Brightfield Road, Lutherville Timonium, MD 21093, United States" */
export function fullAddress(a: Address): string {
  const region = [stateForFullAddress(a), a.postalCode].filter(Boolean).join(' ');
  return [houseLine(a), a.city, region, a.country].filter(Boolean).join(', ');
}

/** The one-line address without the country: "121 North Washington Avenue Cubi suite Minneapolis". */
export function location(a: Address): string {
  return [houseLine(a), a.city, a.state, a.postalCode].filter(Boolean).join(' ');
}
