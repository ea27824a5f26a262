/**
 * The catalog's narrow view of the controlled vocabularies (src/domain/vocab):
 * resolve an alias to its IRI, test membership, get the code of an IRI. Kept
 * in one file so the rest of src/catalog does not depend on the vocabulary
 * module's shape.
 */

interface Vocabulary {
  has(iri: string): boolean;
  resolve(value: string): unknown;
}
interface VocabModule {
  vocabularies: Record<string, Vocabulary>;
}
interface LicenseModule {
  ckanLicenseId?: (iri: string) => string | undefined;
}

// TEMPORARY: loaded by a computed specifier while src/domain/vocab is being written in parallel; becomes a static import once it lands.
const VOCAB_SPEC = '../domain/vocab/index.js';
const LICENSES_SPEC = '../domain/vocab/licenses.js';
const vocabModule = (await import(VOCAB_SPEC).catch(() => undefined)) as VocabModule | undefined;
const licenseModule = (await import(LICENSES_SPEC).catch(() => undefined)) as LicenseModule | undefined;

function vocab(name: string): Vocabulary | undefined {
  return vocabModule?.vocabularies[name];
}

/** The canonical IRI of a value (IRI, code or alias) in the named vocabulary; undefined when unknown. */
export function resolveVocab(name: string, value: string): string | undefined {
  const v = vocab(name);
  if (!v) return undefined;
  const r = v.resolve(value);
  if (typeof r === 'string') return r;
  if (r && typeof r === 'object' && 'iri' in r && typeof r.iri === 'string') return r.iri;
  return undefined;
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
  return licenseModule?.ckanLicenseId?.(iri) ?? iri;
}
