import { table, Vocabulary } from './vocabulary.js';
import { distributionStatusEu } from './eu-tables.js';

/** ADMS code lists: concept IRIs have no /1.0/ segment, the scheme IRIs do. */
const ADMS = 'http://purl.org/adms/';

export const publisherTypes = new Vocabulary(
  'publisherType',
  `${ADMS}publishertype/`,
  table(`${ADMS}publishertype/`, [
    ['Academia', 'Wissenschaft', 'Academia/Scientific organisation'],
    ['Company', 'Unternehmen', 'Company'],
    ['IndustryConsortium', 'Industriekonsortium', 'Industry consortium'],
    ['LocalAuthority', 'Kommunalverwaltung', 'Local authority'],
    ['NationalAuthority', 'Bundesbehörde', 'National authority'],
    ['NonGovernmentalOrganisation', 'Nichtregierungsorganisation', 'Non-governmental organisation'],
    ['NonProfitOrganisation', 'gemeinnützige Organisation', 'Non-profit organisation'],
    ['PrivateIndividual', 'Privatperson', 'Private individual(s)'],
    ['RegionalAuthority', 'Landesbehörde', 'Regional authority'],
    ['StandardisationBody', 'Normungsorganisation', 'Standardisation body'],
    ['SupraNationalAuthority', 'supranationale Behörde', 'Supra-national authority'],
  ]),
  {},
  `${ADMS}publishertype/1.0`,
);

export const distributionStatusAdms = new Vocabulary(
  'distributionStatusAdms',
  `${ADMS}status/`,
  table(`${ADMS}status/`, [
    ['Completed', 'abgeschlossen', 'completed'],
    ['Deprecated', 'veraltet', 'deprecated'],
    ['Withdrawn', 'zurückgezogen', 'withdrawn'],
    ['UnderDevelopment', 'in Entwicklung', 'under development'],
  ]),
  {},
  `${ADMS}status/1.0`,
);

const ADMS_TO_EU: Record<string, string> = { Completed: 'COMPLETED', Deprecated: 'DEPRECATED', Withdrawn: 'WITHDRAWN', UnderDevelopment: 'DEVELOP' };

/** A distribution status in either list, written as the given profile demands. */
export function distributionStatusFor(iri: string, profile: 'dcat-ap-de-2' | 'dcat-ap-de-3'): string | undefined {
  const adms = distributionStatusAdms.byIri(iri);
  const eu = distributionStatusEu.byIri(iri);
  if (profile === 'dcat-ap-de-3') return eu?.iri ?? (adms ? distributionStatusEu.byCode(ADMS_TO_EU[adms.code])?.iri : undefined);
  if (adms) return adms.iri;
  if (!eu) return undefined;
  const code = Object.keys(ADMS_TO_EU).find((k) => ADMS_TO_EU[k] === eu.code);
  return code ? distributionStatusAdms.byCode(code)?.iri : undefined;
}
