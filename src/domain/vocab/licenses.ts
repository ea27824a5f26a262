import { Vocabulary, type Concept } from './vocabulary.js';

export interface License extends Concept {
  /** GovData's open/closed classification. */
  open: boolean;
  /** Needs dcatde:licenseAttributionByText (K35). */
  attribution: boolean;
  /** The licence id CKAN portals (OGD, GovData) use for it. */
  ckanId: string;
  url?: string;
}

const BASE = 'http://dcat-ap.de/def/licenses/';

// [dcat-ap.de id, CKAN/OGD id, open, attribution required, German name, licence text]
const ROWS: readonly (readonly [string, string, boolean, boolean, string, string?])[] = [
  ['apache', 'apache', true, false, 'Freie Softwarelizenz der Apache Software Foundation', 'http://www.apache.org/licenses'],
  ['bsd', 'bsd-license', true, false, 'BSD Lizenz', 'http://www.opensource.org/licenses/bsd-license.php'],
  ['cc-by', 'cc-by', true, true, 'Creative Commons Namensnennung (CC-BY)'],
  ['cc-by/4.0', 'cc-by-4.0', true, true, 'Creative Commons Namensnennung – 4.0 International (CC BY 4.0)', 'http://creativecommons.org/licenses/by/4.0/'],
  ['cc-by-de/3.0', 'cc-by-3.0', true, true, 'Creative Commons Namensnennung 3.0 Deutschland (CC BY 3.0 DE)', 'https://creativecommons.org/licenses/by/3.0/de/'],
  ['cc-by-nc', 'cc-nc', false, true, 'Creative Commons Namensnennung – Nicht kommerziell (CC BY-NC)'],
  ['cc-by-nc-de/3.0', 'cc-nc-3.0', false, true, 'Creative Commons Namensnennung – Nicht kommerziell 3.0 Deutschland', 'https://creativecommons.org/licenses/by-nc/3.0/de/'],
  ['cc-by-nc/4.0', 'cc-by-nc-4.0', false, true, 'Creative Commons Namensnennung – Nicht kommerziell 4.0 International', 'http://creativecommons.org/licenses/by-nc/4.0/'],
  ['cc-by-nd', 'cc-by-nd', false, true, 'Creative Commons Namensnennung – Keine Bearbeitung (CC BY-ND)'],
  ['cc-by-nd/3.0', 'cc-by-nd-3.0', false, true, 'Creative Commons Namensnennung – Keine Bearbeitung 3.0 Unported', 'http://creativecommons.org/licenses/by-nd/3.0/'],
  ['cc-by-nd/4.0', 'cc-by-nd-4.0', false, true, 'Creative Commons Namensnennung – Keine Bearbeitung 4.0 International', 'https://creativecommons.org/licenses/by-nd/4.0/'],
  ['cc-by-sa', 'cc-by-sa', true, true, 'Creative Commons Namensnennung – Weitergabe unter gleichen Bedingungen (CC BY-SA)'],
  ['cc-by-sa-de/3.0', 'cc-by-sa-3.0', true, true, 'Creative Commons Namensnennung – Weitergabe unter gleichen Bedingungen 3.0 Deutschland'],
  ['cc-by-sa/4.0', 'cc-by-sa-4.0', true, true, 'Creative Commons Namensnennung – Weitergabe unter gleichen Bedingungen 4.0 International', 'http://creativecommons.org/licenses/by-sa/4.0/'],
  ['ccpdm/1.0', 'cc-pdm-1.0', true, false, 'Public Domain Mark 1.0 (PDM)', 'http://creativecommons.org/publicdomain/mark/1.0/'],
  ['cc-zero', 'cc-zero', true, false, 'Creative Commons CC Zero License (cc-zero)'],
  ['dl-by-de/1.0', 'dl-de-by-1.0', true, true, 'Datenlizenz Deutschland Namensnennung 1.0', 'https://www.govdata.de/dl-de/by-1-0'],
  ['dl-by-de/2.0', 'dl-de-by-2.0', true, true, 'Datenlizenz Deutschland Namensnennung 2.0', 'https://www.govdata.de/dl-de/by-2-0'],
  ['dl-by-nc-de/1.0', 'dl-de-by-nc-1.0', false, true, 'Datenlizenz Deutschland Namensnennung nicht-kommerziell 1.0', 'https://www.govdata.de/dl-de/by-nc-1-0'],
  ['dl-zero-de/2.0', 'dl-de-zero-2.0', true, false, 'Datenlizenz Deutschland – Zero – Version 2.0', 'https://www.govdata.de/dl-de/zero-2-0'],
  ['geonutz/20130319', 'geonutzv-de-2013-03-19', true, false, 'Nutzungsbestimmungen für die Bereitstellung von Geodaten des Bundes'],
  ['geoNutz/20131001', 'geonutz-be-2013-10-01', true, false, 'Nutzungsbestimmungen für die Bereitstellung von Geodaten des Landes Berlin'],
  ['gfdl', 'gfdl', true, false, 'GNU Free Documentation License (GFDL)'],
  ['gpl/3.0', 'gpl-3.0', true, false, 'GNU General Public License version 3.0 (GPLv3)', 'http://www.opensource.org/licenses/gpl-3.0.html'],
  ['mozilla', 'mozilla', true, false, 'Mozilla Public License 2.0 (MPL)', 'http://www.mozilla.org/MPL'],
  ['odbl', 'odc-odbl', true, true, 'Open Data Commons Open Database License (ODbL)'],
  ['odby', 'odc-by', true, true, 'Open Data Commons Attribution License (ODC-BY 1.0)'],
  ['odcpddl', 'odc-pddl', true, false, 'Open Data Commons Public Domain Dedication and Licence (ODC PDDL)'],
  ['officialWork', 'official-work', true, false, 'Amtliches Werk, lizenzfrei nach §5 Abs. 1 UrhG', 'http://www.gesetze-im-internet.de/urhg/__5.html'],
  ['other-closed', 'other-closed', false, false, 'Andere geschlossene Lizenz'],
  ['other-commercial', 'app_commercial', false, false, 'Andere kommerzielle Lizenz'],
  ['other-freeware', 'app_freeware', false, false, 'Andere Freeware Lizenz'],
  ['other-open', 'other-open', true, false, 'Andere offene Lizenz'],
  ['other-opensource', 'app_opensource', true, false, 'Andere Open Source Lizenz'],
];

export const LICENSES: readonly License[] = ROWS.map(([id, ckanId, open, attribution, de, url]) => ({
  code: id,
  iri: BASE + id,
  label: { de, en: de },
  open,
  attribution,
  ckanId,
  ...(url ? { url } : {}),
}));

// DCAT-AP.de 1.0 IRIs that real catalogs still send, with the licence that replaced each.
const OUTDATED: Record<string, string> = {
  'cc-by-de/3_0': 'cc-by-de/3.0',
  'cc-by/4_0': 'cc-by/4.0',
  'official-work': 'officialWork',
  'cc-by-sa/4_0': 'cc-by-sa/4.0',
  'cc-by-nd/3_0': 'cc-by-nd/3.0',
  'cc-by-nd/4_0': 'cc-by-nd/4.0',
  'cc-by-nc-de/4_0': 'cc-by-nc/4.0',
  'cc-nc/3_0': 'cc-by-nc-de/3.0',
  'dl-zero-de/2_0': 'dl-zero-de/2.0',
  'dl-by-de/1_0': 'dl-by-de/1.0',
  'dl-by-de/2_0': 'dl-by-de/2.0',
  'dl-by-nc-de/1_0': 'dl-by-nc-de/1.0',
  'gpl/30': 'gpl/3.0',
  'od-bc': 'odby',
  'od-bl': 'odbl',
  'odc-pddl': 'odcpddl',
  'cc-pdm/1_0': 'ccpdm/1.0',
};

const aliases: Record<string, string> = {};
for (const l of LICENSES) aliases[l.ckanId] = l.code;
for (const [old, current] of Object.entries(OUTDATED)) {
  aliases[BASE + old] = current;
  aliases[old] = current;
}
// Short forms CKAN portals use besides GovData's ids.
Object.assign(aliases, { 'CC-BY-4.0': 'cc-by/4.0', 'CC0-1.0': 'cc-zero', 'cc0': 'cc-zero', 'ODbL-1.0': 'odbl', 'dl-by-de-2.0': 'dl-by-de/2.0', 'dl-zero-de-2.0': 'dl-zero-de/2.0' });

export const licenses = new Vocabulary<License>('license', BASE, LICENSES, aliases);

/** The CKAN licence id for a licence IRI (unknown IRIs are passed on unchanged, K34). */
export function ckanLicenseId(iri: string): string {
  return licenses.resolve(iri)?.ckanId ?? iri;
}
