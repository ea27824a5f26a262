/**
 * The catalog's narrow view of the controlled vocabularies: resolve an alias
 * to its IRI, test membership, get the code of an IRI.
 */
import { ckanLicenseId, vocabularies, type VocabularyName } from '../domain/vocab/index.js';

const vocab = (name: string) => (name in vocabularies ? vocabularies[name as VocabularyName] : undefined);

/** The canonical IRI of a value (IRI, code or alias) in the named vocabulary; undefined when unknown. */
export function resolveVocab(name: string, value: string): string | undefined {
  return vocab(name)?.resolve(value)?.iri;
}

export function knownVocab(name: string): boolean {
  return vocab(name) !== undefined;
}

export function inVocab(name: string, iri: string): boolean {
  const v = vocab(name);
  return v ? v.has(iri) : true;
}

/** Last path segment of an authority-table IRI: .../data-theme/GOVE → GOVE. */
export function codeOfIri(iri: string): string {
  return iri.replace(/\/+$/, '').split(/[/#]/).pop() ?? iri;
}

export function ckanLicense(iri: string): string {
  return ckanLicenseId(iri);
}
