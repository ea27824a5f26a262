import type { TObject, TSchema } from 'typebox';
import { Value } from 'typebox/value';
import { Compile } from 'typebox/compile';
import { Dataset as DatasetSchema, type Dataset } from '../domain/model.js';
import { rdfOf } from '../domain/property.js';
import { invalid, type Problem } from '../errors.js';
import { nodeSchemaOf } from './normalize.js';
import { inVocab, knownVocab } from './vocab.js';

/** English key, English sentence, German sentence. */
const MESSAGES = {
  required: ['is mandatory in DCAT-AP.de', 'ist in DCAT-AP.de Pflicht'],
  accessURL: ['each distribution needs an access URL', 'jede Distribution braucht eine Zugangs-URL (accessURL)'],
  vocab: ['is not in the controlled vocabulary', 'ist nicht im kontrollierten Vokabular enthalten'],
  schema: ['does not match the schema', 'entspricht nicht dem Schema'],
} as const;

function problem(path: string, kind: keyof typeof MESSAGES, extra = ''): Problem {
  const [en, de] = MESSAGES[kind];
  return { path, key: `dataset.${kind}`, message: `${en}${extra}`, messageDe: `${de}${extra}` };
}

const nonEmptyText = (v: unknown) =>
  typeof v === 'string' ? v.trim() !== '' : typeof v === 'object' && v !== null && Object.values(v).some((s) => typeof s === 'string' && s.trim() !== '');

function vocabProblems(value: Record<string, unknown>, schema: TObject, path: string, out: Problem[]): void {
  for (const [key, v] of Object.entries(value)) {
    const prop = schema.properties[key] as TSchema | undefined;
    const a = prop ? rdfOf(prop) : undefined;
    if (!prop || !a) continue;
    const here = `${path}/${key}`;
    if (a.vocab && a.kind === 'iri' && knownVocab(a.vocab)) {
      const values = Array.isArray(v) ? v : [v];
      values.forEach((x, i) => {
        if (typeof x === 'string' && !inVocab(a.vocab as string, x)) {
          out.push(problem(Array.isArray(v) ? `${here}/${i}` : here, 'vocab', ` (${a.vocab}): "${x}"`));
        }
      });
    }
    if (a.kind === 'node' || a.kind === 'iriOrNode') {
      const child = nodeSchemaOf(prop);
      if (!child) continue;
      if (Array.isArray(v)) v.forEach((x, i) => typeof x === 'object' && x && vocabProblems(x as Record<string, unknown>, child, `${here}/${i}`, out));
      else if (typeof v === 'object' && v) vocabProblems(v as Record<string, unknown>, child, here, out);
    }
  }
}

// Compiled once, on first use: checking a valid document costs microseconds;
// the interpreted error walk runs only for a document that fails.
let compiled: { Check(value: unknown): boolean } | undefined;
const schemaCheck = () => (compiled ??= Compile(DatasetSchema));

/** Every problem of a normalized document: schema, mandatory properties, vocabularies. */
export function datasetProblems(doc: Dataset): Problem[] {
  const problems: Problem[] = [];
  const vocab: Problem[] = [];
  vocabProblems(doc as Record<string, unknown>, DatasetSchema, '', vocab);
  const vocabPaths = new Set(vocab.map((p) => p.path));
  const seen = new Set<string>();
  for (const e of schemaCheck().Check(doc) ? [] : Value.Errors(DatasetSchema, doc)) {
    const path = e.instancePath || '/';
    // An unknown vocabulary value also fails the IRI pattern; report it once, as a vocabulary problem.
    if (vocabPaths.has(path) || seen.has(path)) continue;
    seen.add(path);
    problems.push(problem(path, 'schema', `: ${e.message}`));
    if (problems.length >= 50) break;
  }
  if (!nonEmptyText(doc.title)) problems.push(problem('/title', 'required'));
  if (!nonEmptyText(doc.description)) problems.push(problem('/description', 'required'));
  if (!doc.publisher || !nonEmptyText(doc.publisher.name)) problems.push(problem('/publisher/name', 'required'));
  // A described series is a dcat:DatasetSeries, which the shapes want titled and described; a bare IRI names one described elsewhere.
  (doc.inSeries ?? []).forEach((x, i) => {
    if (typeof x !== 'object' || x === null) return;
    if (!nonEmptyText(x.title)) problems.push(problem(`/inSeries/${i}/title`, 'required'));
    if (!nonEmptyText(x.description)) problems.push(problem(`/inSeries/${i}/description`, 'required'));
  });
  doc.distribution?.forEach((d, i) => {
    if (!Array.isArray(d.accessURL) || d.accessURL.length === 0) problems.push(problem(`/distribution/${i}/accessURL`, 'accessURL'));
  });
  return [...problems, ...vocab];
}

/** Throws 422 invalid_dataset with every problem. */
export function validateDataset(doc: Dataset): void {
  const problems = datasetProblems(doc);
  if (problems.length) {
    throw invalid(`The dataset is not valid DCAT-AP.de: ${problems.map((p) => `${p.path} ${p.message}`).slice(0, 3).join('; ')}${problems.length > 3 ? '; …' : ''}`, problems);
  }
}
