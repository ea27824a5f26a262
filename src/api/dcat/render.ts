import type { Quad } from '@rdfjs/types';
import type { Dataset } from '../../domain/model.js';
import { buildContext } from '../../rdf/context.js';
import { datasetQuads, type MappingOptions } from '../../rdf/mapping.js';
import { createWriter, type RdfFormat } from '../../rdf/syntax/index.js';
import { literalParts, plainTerms } from '../../rdf/syntax/terms.js';

const JSONLD_CONTEXT = [buildContext(), { hydra: 'http://www.w3.org/ns/hydra/core#' }];

/** The whole document in `format`, JSON-LD compacted to the catalog's own context. */
export function renderRdf(format: RdfFormat, quads: Iterable<Quad | readonly Quad[]>): Promise<Buffer> {
  return createWriter(format, format === 'jsonld' ? { context: JSONLD_CONTEXT, compact: true } : {}).render(quads);
}

/** A term as data that crosses to a worker thread: [termType initial, value, language, datatype]. */
type TermData = [kind: 'N' | 'B' | 'L', value: string, language?: string, datatype?: string];
type QuadData = [subject: TermData, predicate: string, object: TermData];

/**
 * One page of the catalog to write, as plain data (structured-cloneable):
 * the catalog node and paging quads, and each dataset's stored document as
 * JSON text with its URI. Parsing the documents, mapping and writing are the
 * page's cost; all of it happens where the page is written.
 */
export interface PageJob {
  format: RdfFormat;
  mapping: MappingOptions;
  head: QuadData[];
  datasets: [uri: string, docText: string][];
}

const termData = (t: Quad['subject'] | Quad['object']): TermData => {
  if (t.termType === 'Literal') {
    const l = literalParts(t);
    return ['L', l.value, l.language, l.datatype];
  }
  return [t.termType === 'BlankNode' ? 'B' : 'N', t.value];
};

const term = ([kind, value, language, datatype]: TermData) =>
  kind === 'N' ? plainTerms.namedNode(value) : kind === 'B' ? plainTerms.blankNode(value) : plainTerms.literal(value, language || plainTerms.namedNode(datatype as string));

export function pageJob(format: RdfFormat, mapping: MappingOptions, head: Iterable<Quad>, datasets: Iterable<{ uri: string; docText: string }>): PageJob {
  return {
    format,
    mapping,
    head: [...head].map((q) => [termData(q.subject), q.predicate.value, termData(q.object)]),
    datasets: [...datasets].map((d) => [d.uri, d.docText]),
  };
}

function* pageQuads(job: PageJob): Generator<Quad[]> {
  yield job.head.map(([s, p, o]) => plainTerms.quad(term(s) as Quad['subject'], plainTerms.namedNode(p), term(o) as Quad['object']));
  // A series shared by datasets of the page is described once, with the first of them.
  const describedSeries = new Set<string>();
  for (const [uri, text] of job.datasets) {
    const doc = JSON.parse(text) as Dataset & { '@id'?: string };
    doc['@id'] = uri;
    yield datasetQuads(doc, job.mapping, describedSeries);
  }
}

export function renderPage(job: PageJob): Promise<Buffer> {
  return renderRdf(job.format, pageQuads(job));
}
