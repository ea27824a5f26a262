import type * as RDF from '@rdfjs/types';
import { DataFactory, Writer } from 'n3';
import { ChunkedWriter } from './chunked-writer.js';
import { RdfSyntaxError } from './errors.js';
import { blankLabel, safeIri } from './terms.js';
import { turtlePrefixes } from './turtle-writer.js';

const { quad: makeQuad, namedNode, blankNode, literal, defaultGraph } = DataFactory;

/** Rebuilds a term only when it would not serialise as valid Turtle/N-Triples. */
function clean<T extends RDF.Term>(term: T): T {
  switch (term.termType) {
    case 'NamedNode': {
      const iri = safeIri(term.value);
      return (iri === term.value ? term : namedNode(iri)) as T;
    }
    case 'BlankNode': {
      const label = blankLabel(term.value);
      return (label === term.value ? term : blankNode(label)) as T;
    }
    case 'Literal': {
      const lit = term as RDF.Literal;
      if (lit.language) return term;
      // Read once: N3.js makes a new datatype term on every read, so comparing two reads would always differ.
      const datatype = lit.datatype;
      const dt = clean(datatype);
      return (dt === datatype ? term : literal(lit.value, dt)) as T;
    }
    default:
      return term;
  }
}


/**
 * N3.js's Writer: not used by the service (TurtleWriter and NTriplesWriter are ours), kept
 * as the reference the export bench measures against. Turtle and N-Triples through N3.js's Writer, fed one quad at a time: it keeps only the
 * current subject and predicate, so memory stays flat. Graph names are dropped, as both
 * are triple formats (N3.js would otherwise switch to TriG/N-Quads syntax).
 */
export class N3QuadWriter extends ChunkedWriter<RDF.Quad> {
  private readonly writer: Writer;

  constructor(
    private readonly format: 'turtle' | 'ntriples',
    prefixes: Readonly<Record<string, string>>,
  ) {
    super();
    const sink = {
      write: (chunk: string, _encoding?: unknown, done?: () => void) => {
        this.out(chunk);
        done?.();
      },
      end: (done?: () => void) => done?.(),
    };
    this.writer = new Writer(sink, {
      format: format === 'turtle' ? 'Turtle' : 'N-Triples',
      prefixes: format === 'turtle' ? turtlePrefixes(prefixes) : undefined,
      end: false,
    });
  }

  protected writeItem(q: RDF.Quad): void {
    if (q.subject.termType !== 'NamedNode' && q.subject.termType !== 'BlankNode') throw new RdfSyntaxError(this.format, `cannot write a ${q.subject.termType} subject`);
    if (q.object.termType !== 'NamedNode' && q.object.termType !== 'BlankNode' && q.object.termType !== 'Literal') throw new RdfSyntaxError(this.format, `cannot write a ${q.object.termType} object`);
    if (q.predicate.termType !== 'NamedNode') throw new RdfSyntaxError(this.format, `cannot write a ${q.predicate.termType} predicate`);
    const s = clean(q.subject);
    const p = clean(q.predicate);
    const o = clean(q.object);
    const unchanged = s === q.subject && p === q.predicate && o === q.object && q.graph.termType === 'DefaultGraph';
    this.writer.addQuad(unchanged ? q : makeQuad(s, p, o, defaultGraph()));
  }

  protected finish(): void {
    this.writer.end();
  }
}
