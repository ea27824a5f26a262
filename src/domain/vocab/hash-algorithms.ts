import { Vocabulary, type Concept } from './vocabulary.js';

/** Checksum algorithms: dcat-ap.de's list (2.0) and SPDX's (3.0), mapped both ways. */
const DE = 'http://dcat-ap.de/def/hashAlgorithms/';
const SPDX = 'http://spdx.org/rdf/terms#checksumAlgorithm_';

const ALGS: readonly (readonly [de: string, spdx: string])[] = [
  ['md/2', 'md2'],
  ['md/5', 'md5'],
  ['sha/1', 'sha1'],
  ['sha/224', 'sha224'],
  ['sha/256', 'sha256'],
  ['sha/384', 'sha384'],
  ['sha/512', 'sha512'],
];

const concepts: Concept[] = ALGS.flatMap(([de, spdx]) => [
  { code: de, iri: DE + de, label: { de: spdx.toUpperCase(), en: spdx.toUpperCase() } },
  { code: spdx, iri: SPDX + spdx, label: { de: spdx.toUpperCase(), en: spdx.toUpperCase() } },
]);

export const hashAlgorithms = new Vocabulary('hashAlgorithm', DE, concepts, { 'md5': 'md5', 'sha-1': 'sha1', 'sha-256': 'sha256', 'sha-512': 'sha512' });

/** The algorithm IRI as the profile demands: dcat-ap.de's list for 2.0, SPDX for 3.0. */
export function hashAlgorithmFor(iri: string, profile: 'dcat-ap-de-2' | 'dcat-ap-de-3'): string | undefined {
  const c = hashAlgorithms.resolve(iri);
  if (!c) return undefined;
  const pair = ALGS.find(([de, spdx]) => de === c.code || spdx === c.code);
  if (!pair) return undefined;
  return profile === 'dcat-ap-de-3' ? SPDX + pair[1] : DE + pair[0];
}
