import type * as RDF from '@rdfjs/types';
import type { TSchema } from 'typebox';
import { Value } from 'typebox/value';
import type { DatasetInput } from '../../catalog/datasets.js';
import type { HarvestSourceType } from '../../db/schema.js';
import type { DatasetSeries } from '../../domain/model.js';
import { datasetFromQuads } from '../../rdf/read.js';
import { HarvestSourceError } from '../errors.js';
import type { HarvestRecord, HarvestSource } from '../source.js';
import { CkanSourceSettings, createCkanSource, mapCkanRecord, type CkanRaw } from './ckan.js';
import { createDcatSource, DcatSourceSettings } from './dcat.js';

/** A record mapped to the model: the document to write, and values the mapping had to drop. */
export interface MappedRecord {
  doc: DatasetInput;
  problems: string[];
}

/** What the runner needs of a source type: list its records, and map one to the model. */
export interface HarvestType {
  settings: TSchema;
  create(url: string, settings: Record<string, unknown>): HarvestSource;
  map(record: HarvestRecord, ctx: { language: string; url: string }): MappedRecord;
}

function mapDcatRecord(record: HarvestRecord, language: string): MappedRecord {
  const quads = record.raw as RDF.Quad[];
  // datasetRecords puts the dataset's own statements first.
  const subject = quads[0]?.subject;
  if (!subject) throw new Error('the record has no statements');
  const { doc, problems } = datasetFromQuads(quads, subject, { language });
  const notes = problems.map((p) => `${p.path || '/'}: ${p.message}`);
  if (doc.inSeries) {
    const kept = doc.inSeries.flatMap((s, i) => storableSeries(s, `/inSeries/${i}`, notes));
    if (kept.length) doc.inSeries = kept;
    else delete doc.inSeries;
  }
  return { doc: doc as unknown as DatasetInput, problems: notes };
}

const hasText = (t: DatasetSeries['title']) => (typeof t === 'string' ? [t] : Object.values(t ?? {})).some((v) => v.trim() !== '');

/**
 * A series as the catalog can store it. The catalog requires title and description of
 * a described series (validate.ts); one the source describes without them is kept as
 * its IRI, as a series described nowhere is, rather than failing the whole record.
 */
function storableSeries(s: string | DatasetSeries, path: string, notes: string[]): (string | DatasetSeries)[] {
  if (typeof s === 'string' || (hasText(s.title) && hasText(s.description))) return [s];
  const missing = [hasText(s.title) ? '' : 'dct:title', hasText(s.description) ? '' : 'dct:description'].filter(Boolean).join(' and ');
  const id = s['@id'];
  notes.push(`${path}: the series ${id ? `<${id}> ` : ''}has no ${missing}; ${id ? 'kept as its IRI' : 'dropped'}`);
  return id ? [id] : [];
}

export const HARVEST_TYPES: Record<HarvestSourceType, HarvestType> = {
  ckan: {
    settings: CkanSourceSettings,
    create: (url, settings) => createCkanSource(url, settings),
    map: (record, ctx) => mapCkanRecord(record as HarvestRecord<CkanRaw>, ctx.language, ctx.url),
  },
  dcat: {
    settings: DcatSourceSettings,
    create: (url, settings) => createDcatSource(url, settings),
    map: (record, ctx) => mapDcatRecord(record, ctx.language),
  },
};

/** The reasons a source's configuration does not fit its type (empty when it fits). */
export function settingsProblems(type: HarvestSourceType, config: unknown): string[] {
  const schema = HARVEST_TYPES[type].settings;
  return [...Value.Errors(schema, config)].map((e) => `${(e as { instancePath?: string }).instancePath || '/'} ${e.message}`);
}

export function createSource(type: HarvestSourceType, url: string, config: Record<string, unknown>): HarvestSource {
  const problems = settingsProblems(type, config);
  if (problems.length) throw new HarvestSourceError('config', `The source configuration is not valid for type ${type}: ${problems.join('; ')}`);
  return HARVEST_TYPES[type].create(url, config);
}
