import { distributionStatusAdms, publisherTypes } from './adms.js';
import { accessRights, datasetTypes, distributionStatusEu, frequencies, languages, plannedAvailability, themes } from './eu-tables.js';
import { fileTypes } from './file-types.js';
import { geocodingLevels } from './geocoding.js';
import { hashAlgorithms } from './hash-algorithms.js';
import { licenses } from './licenses.js';
import { Vocabulary, type Concept } from './vocabulary.js';

export * from './vocabulary.js';
export * from './licenses.js';
export * from './eu-tables.js';
export * from './adms.js';
export * from './file-types.js';
export * from './geocoding.js';
export * from './hash-algorithms.js';

/** Both distribution-status lists (ADMS for 2.0, EU for 3.0) accepted as one vocabulary. */
const distributionStatus = new Vocabulary(
  'distributionStatus',
  distributionStatusEu.base,
  [...distributionStatusEu.concepts, ...distributionStatusAdms.concepts.map((c): Concept => ({ ...c, code: `adms:${c.code}` }))],
  Object.fromEntries(distributionStatusAdms.concepts.map((c) => [c.code, c.iri])),
);

/** Every controlled vocabulary, by the name the model's `x-rdf.vocab` annotations use. */
export const vocabularies = {
  license: licenses,
  theme: themes,
  fileType: fileTypes,
  frequency: frequencies,
  language: languages,
  accessRight: accessRights,
  plannedAvailability,
  distributionStatus,
  publisherType: publisherTypes,
  hashAlgorithm: hashAlgorithms,
  geocodingLevel: geocodingLevels,
  datasetType: datasetTypes,
} satisfies Record<string, Vocabulary>;

export type VocabularyName = keyof typeof vocabularies;
