import type * as RDF from '@rdfjs/types';
import { RdfSyntaxError } from './errors.js';
import { RDF_NS, XSD_NS } from './prefixes.js';
import { blankLabel, literalParts, safeIri, type LiteralParts } from './terms.js';

/**
 * Compaction of quads to the terms of an inline JSON-LD context, done by the
 * writer itself (jsonld.compact per request would cost more than all the
 * rest of an export). The context is read once into tables: for each
 * predicate IRI in each active context (the top one and each property-scoped
 * one), which term takes IRIs, which a language map, which strings of a
 * datatype. A value that no term can carry exactly goes under the compact
 * (prefix:local) or full IRI in expanded form, so every quad survives
 * expansion unchanged. Only what our context uses is supported: prefixes,
 * terms (string or {@id, @type, @container: @set/@language, @context}),
 * null terms and @version; anything else is refused when the writer is made.
 */

const RDF_TYPE = `${RDF_NS}type`;
const XSD_STRING = `${XSD_NS}string`;
const XSD_INTEGER = `${XSD_NS}integer`;
const XSD_BOOLEAN = `${XSD_NS}boolean`;
const RDF_LANGSTRING = `${RDF_NS}langString`;
const CANONICAL_INTEGER = /^(?:0|-?[1-9][0-9]{0,15})$/;
// A simple term whose IRI ends in one of these may serve as a prefix (JSON-LD 1.1 §4.2.2).
const GEN_DELIM = /[:/?#[\]@]$/;

// What JSON.stringify would escape in a string: `"`, `\`, control characters (lone surrogates: isWellFormed).
const ESCAPED = /["\\\u0000-\u001f]/;

/**
 * A string's JSON text, the same as JSON.stringify gives: quoted as it is when nothing in it
 * needs escaping (IRIs never do, most texts don't). JSON.stringify of a short string cost
 * ~0.2 µs, 10–30 times the check, and the writer makes one per key, IRI and text.
 */
function json(s: string): string {
  return ESCAPED.test(s) || !s.isWellFormed() ? JSON.stringify(s) : `"${s}"`;
}

/** json() of a string safeIri or blankLabel made: they escape all JSON would but lone surrogates. */
function jsonSafe(s: string): string {
  return s.isWellFormed() ? `"${s}"` : JSON.stringify(s);
}

type RawContext = Readonly<Record<string, unknown>>;

interface TermDef {
  term: string;
  iri: string;
  /** '@id' or the expanded datatype IRI. */
  type?: string;
  language: boolean;
  set: boolean;
  scoped?: RawContext;
  simple: boolean;
}

/** How one predicate is written in one active context. */
interface Choice {
  /** A term with @type @id: IRIs and blank nodes as plain strings. */
  iri?: TermDef;
  /** A language-map term. */
  lang?: TermDef;
  /** A term without @type or language map: plain strings, value objects, node objects. */
  plain?: TermDef;
  /** Any term that is not a language map: value objects and node objects. */
  any?: TermDef;
  /** Terms coercing strings to a datatype, by datatype IRI. */
  typed: Map<string, TermDef>;
  /** The compact IRI (or the IRI itself) when no term fits: no coercion, no container. */
  key: string;
}

const better = (a: TermDef | undefined, b: TermDef) => (!a || b.term.length < a.term.length || (b.term.length === a.term.length && b.term < a.term) ? b : a);

function unsupported(what: string): never {
  throw new TypeError(`the compacting JSON-LD writer does not support ${what} in the context`);
}

/** One active context: its term definitions and, lazily, the tables derived from them. */
export class ActiveContext {
  private readonly choices = new Map<string, Choice>();
  private readonly typeJsons = new Map<string, string>();
  private readonly children = new Map<string, ActiveContext>();
  private readonly compacted = new Map<string, string>();
  private prefixes?: [string, string][];

  private constructor(readonly terms: ReadonlyMap<string, TermDef | null>) {}

  static of(context: RawContext | readonly RawContext[]): ActiveContext {
    return new ActiveContext(new Map()).with(context);
  }

  /** This context with a local context applied on top (as JSON-LD processes a context array or a scoped context). */
  with(context: RawContext | readonly RawContext[] | unknown): ActiveContext {
    let terms = new Map(this.terms);
    for (const local of Array.isArray(context) ? context : [context]) {
      if (typeof local !== 'object' || local === null) unsupported(typeof local === 'string' ? 'a remote context' : 'a null context');
      terms = defineTerms(terms, local as RawContext);
    }
    return new ActiveContext(terms);
  }

  /** The active context inside a node that is the value of `def` (its property-scoped context, if any, propagates). */
  child(def: TermDef | undefined): ActiveContext {
    if (!def?.scoped) return this;
    let c = this.children.get(def.term);
    if (!c) {
      c = this.with(def.scoped);
      this.children.set(def.term, c);
    }
    return c;
  }

  choice(predicate: string): Choice {
    let c = this.choices.get(predicate);
    if (c) return c;
    c = { typed: new Map(), key: this.compactIri(predicate) };
    for (const def of this.terms.values()) {
      if (!def || def.iri !== predicate) continue;
      if (def.language) {
        c.lang = better(c.lang, def);
        continue;
      }
      c.any = better(c.any, def);
      if (def.type === '@id') c.iri = better(c.iri, def);
      else if (def.type) c.typed.set(def.type, better(c.typed.get(def.type), def));
      else c.plain = better(c.plain, def);
    }
    this.choices.set(predicate, c);
    return c;
  }

  /** A class IRI as an @type value, as JSON text: a term naming it, else a compact IRI, else the IRI. */
  typeJson(iri: string): string {
    let text = this.typeJsons.get(iri);
    if (text === undefined) {
      let best: TermDef | undefined;
      for (const def of this.terms.values()) if (def?.simple && def.iri === iri) best = better(best, def);
      text = json(best?.term ?? this.compactIri(iri));
      this.typeJsons.set(iri, text);
    }
    return text;
  }

  /** prefix:local when a prefix of this context expands to it again (local not starting with "//"), else the IRI. */
  compactIri(iri: string): string {
    let c = this.compacted.get(iri);
    if (c === undefined) {
      c = this.computeCompactIri(iri);
      // Datatype IRIs repeat; predicates are cached in their Choice. Bounded like a cache should be.
      if (this.compacted.size > 1000) this.compacted.clear();
      this.compacted.set(iri, c);
    }
    return c;
  }

  private computeCompactIri(iri: string): string {
    this.prefixes ??= [...this.terms.values()].filter((d): d is TermDef => !!d && d.simple && GEN_DELIM.test(d.iri)).map((d) => [d.term, d.iri]);
    let best: string | undefined;
    for (const [prefix, ns] of this.prefixes) {
      if (iri.length <= ns.length || !iri.startsWith(ns)) continue;
      const local = iri.slice(ns.length);
      const candidate = `${prefix}:${local}`;
      if (local.startsWith('//') || this.terms.has(candidate)) continue;
      if (!best || candidate.length < best.length || (candidate.length === best.length && candidate < best)) best = candidate;
    }
    return best ?? iri;
  }
}

/** JSON-LD's Create Term Definition, for the features listed above; compact IRIs are resolved against the context being built. */
function defineTerms(active: Map<string, TermDef | null>, local: RawContext): Map<string, TermDef | null> {
  const terms = new Map(active);
  const defined = new Set<string>();
  const resolving = new Set<string>();
  const expand = (value: string): string => {
    const colon = value.indexOf(':');
    if (colon > 0) {
      const prefix = value.slice(0, colon);
      const suffix = value.slice(colon + 1);
      if (prefix === '_' || suffix.startsWith('//')) return value;
      const def = prefix in local ? define(prefix) : terms.get(prefix);
      // Only a prefix (a simple term ending in a gen-delim) expands a compact IRI in JSON-LD 1.1.
      return def && def.simple && GEN_DELIM.test(def.iri) ? def.iri + suffix : value;
    }
    const def = value in local ? define(value) : terms.get(value);
    if (!def) unsupported(`the relative IRI "${value}"`);
    return def.iri;
  };
  const define = (term: string): TermDef | null => {
    if (defined.has(term)) return terms.get(term) ?? null;
    if (resolving.has(term)) unsupported(`the cyclic term "${term}"`);
    resolving.add(term);
    const raw = local[term];
    let def: TermDef | null;
    if (raw === null) def = null;
    else if (typeof raw === 'string') def = { term, iri: expand(raw), language: false, set: false, simple: true };
    else if (typeof raw === 'object' && !Array.isArray(raw)) {
      const o = raw as Record<string, unknown>;
      for (const k of Object.keys(o)) if (!['@id', '@type', '@container', '@context'].includes(k)) unsupported(`"${k}" in the term "${term}"`);
      if (typeof o['@id'] !== 'string' || o['@id'].startsWith('@')) unsupported(`the term "${term}" without an IRI`);
      const containers = o['@container'] === undefined ? [] : Array.isArray(o['@container']) ? o['@container'] : [o['@container']];
      for (const c of containers) if (c !== '@set' && c !== '@language') unsupported(`the container ${String(c)}`);
      const type = o['@type'];
      if (type !== undefined && (typeof type !== 'string' || (type.startsWith('@') && type !== '@id'))) unsupported(`the type ${String(type)}`);
      def = { term, iri: expand(o['@id']), language: containers.includes('@language'), set: containers.includes('@set'), simple: false };
      if (type !== undefined) def.type = type === '@id' ? '@id' : expand(type);
      if (def.language && def.type) unsupported(`a typed language map ("${term}")`);
      if (o['@context'] !== undefined) def.scoped = o['@context'] as RawContext;
    } else unsupported(`the definition of "${term}"`);
    resolving.delete(term);
    terms.set(term, def);
    defined.add(term);
    return def;
  };
  for (const key of Object.keys(local)) {
    if (key === '@version') {
      if (local[key] !== 1.1) unsupported('@version other than 1.1');
      continue;
    }
    if (key.startsWith('@')) unsupported(key);
    if (key.includes(':')) unsupported(`the term "${key}" (a compact IRI as term)`);
    if (!defined.has(key)) define(key);
  }
  return terms;
}

// --- nodes ------------------------------------------------------------------

interface NodeRec {
  subject: RDF.Quad_Subject;
  types: string[];
  /** Predicate IRI → objects, in order of first appearance. */
  props: Map<string, RDF.Quad_Object[]>;
  /** References from other nodes of the batch. */
  refs: number;
  placed: boolean;
}

/** A batch's nodes by subject: IRIs and blank node labels apart (a label may look like an IRI), no key strings built per quad. */
class NodeIndex {
  private readonly named = new Map<string, NodeRec>();
  private readonly blank = new Map<string, NodeRec>();
  private readonly order: NodeRec[] = [];
  get(t: RDF.Term): NodeRec | undefined {
    return (t.termType === 'BlankNode' ? this.blank : this.named).get(t.value);
  }
  set(t: RDF.Term, node: NodeRec): void {
    (t.termType === 'BlankNode' ? this.blank : this.named).set(t.value, node);
    this.order.push(node);
  }
  /** In order of first appearance. */
  values(): readonly NodeRec[] {
    return this.order;
  }
}
const idText = (t: RDF.Quad_Subject | RDF.Quad_Object) => (t.termType === 'BlankNode' ? `_:${blankLabel(t.value)}` : safeIri(t.value));

/** The expanded value object of a literal; JSON natives for integers and booleans only where that round-trips. */
function valueObject(o: LiteralParts, native: boolean, ctx: ActiveContext): string {
  if (o.language) return `{"@value":${json(o.value)},"@language":${json(o.language)}${o.direction ? `,"@direction":${json(o.direction)}` : ''}}`;
  const dt = o.datatype;
  if (dt === XSD_STRING) return `{"@value":${json(o.value)}}`;
  if (native && dt === XSD_INTEGER && CANONICAL_INTEGER.test(o.value) && Number.isSafeInteger(Number(o.value))) return o.value;
  if (native && dt === XSD_BOOLEAN && (o.value === 'true' || o.value === 'false')) return o.value;
  return `{"@value":${json(o.value)},"@type":${json(ctx.compactIri(safeIri(dt)))}}`;
}

interface Entry {
  def?: TermDef;
  values: string[];
  /** Language map: tag → texts. */
  lang?: Map<string, string[]>;
}

/**
 * Turns the quads of one batch into compact node objects. Nodes of the batch
 * referenced exactly once from another node of it are nested where they are
 * referenced (in the scoped context of the property, as in REST documents),
 * blank ones without @id: the caller guarantees that a batch's blank nodes
 * occur nowhere else. Everything else is a top-level node.
 */
export function compactBatch(quads: readonly RDF.Quad[], ctx: ActiveContext, nest: boolean): string[] {
  const nodes = new NodeIndex();
  for (const q of quads) {
    if (q.subject.termType !== 'NamedNode' && q.subject.termType !== 'BlankNode') throw new RdfSyntaxError('jsonld', `cannot write a ${q.subject.termType} subject`);
    if (q.predicate.termType !== 'NamedNode') throw new RdfSyntaxError('jsonld', `cannot write a ${q.predicate.termType} predicate`);
    const o = q.object;
    if (o.termType !== 'NamedNode' && o.termType !== 'BlankNode' && o.termType !== 'Literal') throw new RdfSyntaxError('jsonld', `cannot write a ${o.termType} object`);
    let node = nodes.get(q.subject);
    if (!node) {
      node = { subject: q.subject, types: [], props: new Map(), refs: 0, placed: false };
      nodes.set(q.subject, node);
    }
    const p = q.predicate.value;
    if (p === RDF_TYPE && o.termType === 'NamedNode') {
      node.types.push(safeIri(o.value));
      continue;
    }
    const list = node.props.get(p);
    if (list) list.push(o);
    else node.props.set(p, [o]);
  }
  if (nest) {
    for (const node of nodes.values()) {
      for (const objects of node.props.values()) {
        for (const o of objects) {
          if (o.termType === 'Literal') continue;
          const target = nodes.get(o);
          if (target && target !== node) target.refs++;
        }
      }
    }
  }
  return new BatchWriter(nodes, nest).roots(ctx);
}

function putValue(entries: Map<string, Entry>, key: string, def: TermDef | undefined, value: string): void {
  const e = entries.get(key);
  if (e) e.values.push(value);
  else entries.set(key, { def, values: [value] });
}

function putLang(entries: Map<string, Entry>, def: TermDef, lang: string, value: string): void {
  let e = entries.get(def.term);
  if (!e) {
    e = { def, values: [], lang: new Map() };
    entries.set(def.term, e);
  }
  const texts = e.lang!.get(lang);
  if (texts) texts.push(value);
  else e.lang!.set(lang, [value]);
}

function entryText(e: Entry): string {
  if (!e.lang) return e.values.length === 1 && !e.def?.set ? e.values[0] : `[${e.values.join(',')}]`;
  let text = '';
  for (const [lang, texts] of e.lang) text += `${text ? ',' : ''}${json(lang)}:${texts.length === 1 ? texts[0] : `[${texts.join(',')}]`}`;
  return `{${text}}`;
}

/** The value of a literal under a predicate: which key, and the JSON text. */
function putLiteral(entries: Map<string, Entry>, ch: Choice, o: RDF.Literal, c: ActiveContext): void {
  const l = literalParts(o);
  if (l.language) {
    if (ch.lang && !l.direction) putLang(entries, ch.lang, l.language, json(l.value));
    else if (ch.any) putValue(entries, ch.any.term, ch.any, valueObject(l, false, c));
    else putValue(entries, ch.key, undefined, valueObject(l, true, c));
  } else if (l.datatype === XSD_STRING || l.datatype === RDF_LANGSTRING) {
    if (ch.plain) putValue(entries, ch.plain.term, ch.plain, json(l.value));
    else if (ch.lang) putLang(entries, ch.lang, '@none', json(l.value));
    else if (ch.any) putValue(entries, ch.any.term, ch.any, valueObject(l, false, c));
    else putValue(entries, ch.key, undefined, json(l.value));
  } else {
    const typed = ch.typed.get(safeIri(l.datatype));
    if (typed) putValue(entries, typed.term, typed, json(l.value));
    else if (ch.plain) putValue(entries, ch.plain.term, ch.plain, valueObject(l, true, c));
    else if (ch.any) putValue(entries, ch.any.term, ch.any, valueObject(l, false, c));
    else putValue(entries, ch.key, undefined, valueObject(l, true, c));
  }
}

class BatchWriter {
  constructor(
    private readonly nodes: NodeIndex,
    private readonly nest: boolean,
  ) {}

  private nestable(n: NodeRec | undefined): n is NodeRec {
    return !!n && this.nest && n.refs === 1 && !n.placed;
  }

  roots(ctx: ActiveContext): string[] {
    const out: string[] = [];
    for (const node of this.nodes.values()) if (!node.placed && !this.nestable(node)) out.push(this.write(node, ctx, false));
    // Nodes referenced once only from each other (a cycle) have no root above them.
    for (const node of this.nodes.values()) if (!node.placed) out.push(this.write(node, ctx, false));
    return out;
  }

  private write(node: NodeRec, c: ActiveContext, nested: boolean): string {
    node.placed = true;
    let text = nested && node.subject.termType === 'BlankNode' ? '{' : `{"@id":${jsonSafe(idText(node.subject))}`;
    if (node.types.length) {
      let names = '';
      for (const t of node.types) names += `${names ? ',' : ''}${c.typeJson(t)}`;
      text += `${text.length > 1 ? ',' : ''}"@type":${node.types.length === 1 ? names : `[${names}]`}`;
    }
    const entries = new Map<string, Entry>();
    for (const [p, objects] of node.props) {
      const ch = c.choice(p);
      for (const o of objects) {
        if (o.termType === 'Literal') {
          putLiteral(entries, ch, o, c);
          continue;
        }
        const target = o.termType === 'BlankNode' || this.nest ? this.nodes.get(o) : undefined;
        if (target !== node && this.nestable(target)) {
          const def = ch.any;
          putValue(entries, def?.term ?? ch.key, def, this.write(target, c.child(def), true));
        } else if (ch.iri) putValue(entries, ch.iri.term, ch.iri, jsonSafe(idText(o)));
        else putValue(entries, ch.any?.term ?? ch.key, ch.any, `{"@id":${jsonSafe(idText(o))}}`);
      }
    }
    for (const [key, e] of entries) text += `${text.length > 1 ? ',' : ''}${json(key)}:${entryText(e)}`;
    return `${text}}`;
  }
}
