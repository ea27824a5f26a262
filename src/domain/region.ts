/**
 * The partners of the Smart Region Kreis Unna: the district and its ten
 * towns and municipalities, with their official keys (AGS; district key for
 * the Kreis). Seeded as organizations on first start.
 */
export interface Partner {
  name: string;
  title: string;
  /** Amtlicher Gemeindeschlüssel (8 digits) or, for the Kreis, the district key (5 digits). */
  key: string;
  level: 'administrativeDistrict' | 'municipality';
  homepage: string;
}

export const DISTRICT_KEY = '05978';

export const PARTNERS: readonly Partner[] = [
  { name: 'kreis-unna', title: 'Kreis Unna', key: DISTRICT_KEY, level: 'administrativeDistrict', homepage: 'https://www.kreis-unna.de' },
  { name: 'bergkamen', title: 'Stadt Bergkamen', key: '05978004', level: 'municipality', homepage: 'https://www.bergkamen.de' },
  { name: 'boenen', title: 'Gemeinde Bönen', key: '05978008', level: 'municipality', homepage: 'https://www.boenen.de' },
  { name: 'froendenberg-ruhr', title: 'Stadt Fröndenberg/Ruhr', key: '05978012', level: 'municipality', homepage: 'https://www.froendenberg.de' },
  { name: 'holzwickede', title: 'Gemeinde Holzwickede', key: '05978016', level: 'municipality', homepage: 'https://www.holzwickede.de' },
  { name: 'kamen', title: 'Stadt Kamen', key: '05978020', level: 'municipality', homepage: 'https://www.kamen.de' },
  { name: 'luenen', title: 'Stadt Lünen', key: '05978024', level: 'municipality', homepage: 'https://www.luenen.de' },
  { name: 'schwerte', title: 'Stadt Schwerte', key: '05978028', level: 'municipality', homepage: 'https://www.schwerte.de' },
  { name: 'selm', title: 'Stadt Selm', key: '05978032', level: 'municipality', homepage: 'https://www.selm.de' },
  { name: 'unna', title: 'Kreisstadt Unna', key: '05978036', level: 'municipality', homepage: 'https://www.unna.de' },
  { name: 'werne', title: 'Stadt Werne', key: '05978040', level: 'municipality', homepage: 'https://www.werne.de' },
];

const GEOCODING = 'http://dcat-ap.de/def/politicalGeocoding/';

export function geocodingUriOf(p: Pick<Partner, 'key' | 'level'>): string {
  return `${GEOCODING}${p.level === 'municipality' ? 'municipalityKey' : 'districtKey'}/${p.key}`;
}

export function geocodingLevelUriOf(p: Pick<Partner, 'level'>): string {
  return `${GEOCODING}Level/${p.level}`;
}
