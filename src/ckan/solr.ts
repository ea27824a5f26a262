import type { Filter, FilterField } from '../catalog/query.js';
import { resolveFormat } from '../domain/vocab/index.js';

/**
 * The Solr/Lucene query syntax CKAN clients send in package_search `q`, `fq`
 * and `fq_list` (CKAN-CONTRACT §6.2), parsed into the catalog's Filter tree.
 *
 * Boolean semantics are a real boolean algebra, not Lucene's occurrence
 * flags, from loosest to tightest:
 *   1. juxtaposition (clauses separated only by whitespace) = AND; it binds
 *      loosest so the harvester's `organization:a OR organization:b
 *      metadata_modified:[… TO *]` means (a OR b) AND modified, as intended;
 *   2. OR / ||;
 *   3. AND / &&;
 *   4. NOT / ! and the +/- prefixes.
 * Where Lucene and boolean logic give different answers and the intent is not
 * clear (a `+`/`-` clause directly inside an OR) the parser refuses instead of
 * guessing. Anything it cannot read is a SolrSyntaxError naming the term.
 */

export class SolrSyntaxError extends Error {
  constructor(
    message: string,
    readonly term?: string,
  ) {
    super(message);
    this.name = 'SolrSyntaxError';
  }
}

export interface SolrOptions {
  /** The instant NOW stands for (tests); defaults to the parse time. */
  now?: Date;
}

const ALL: Filter = { op: 'all' };
/** Matches nothing: how a filter on a dataset type we do not have is expressed. */
const NONE: Filter = { op: 'not', filter: { op: 'all' } };
const isNone = (f: Filter) => f.op === 'not' && f.filter.op === 'all';

function and(filters: Filter[]): Filter {
  const flat = filters.flatMap((f) => (f.op === 'and' ? f.filters : [f])).filter((f) => f.op !== 'all');
  return flat.length === 0 ? ALL : flat.length === 1 ? flat[0] : { op: 'and', filters: flat };
}

function or(filters: Filter[]): Filter {
  if (filters.some((f) => f.op === 'all')) return ALL;
  const flat = filters.flatMap((f) => (f.op === 'or' ? f.filters : [f])).filter((f) => !isNone(f));
  return flat.length === 0 ? NONE : flat.length === 1 ? flat[0] : { op: 'or', filters: flat };
}

/** Double negation cancels, so `-dataset_type:harvest` becomes "all". */
const not = (f: Filter): Filter => (f.op === 'not' ? f.filter : { op: 'not', filter: f });

// ---------------------------------------------------------------- fields

/** CKAN/Solr field names (case-sensitive, as in Solr) → catalog filter fields. */
const FIELDS: Record<string, FilterField> = {
  id: 'id',
  name: 'name',
  title: 'title',
  notes: 'text',
  text: 'text',
  tags: 'keyword',
  organization: 'organization',
  owner_org: 'organization', // compileFilter matches organization name or id
  groups: 'theme', // lower-case theme codes; compileFilter upper-cases
  res_format: 'format',
  license_id: 'license',
  capacity: 'private',
  state: 'state',
  metadata_modified: 'metadata_modified',
  metadata_created: 'metadata_created',
  uri: 'uri',
  extras_uri: 'uri',
  identifier: 'identifier',
  extras_identifier: 'identifier',
  politicalGeocodingURI: 'geocoding',
  extras_politicalGeocodingURI: 'geocoding',
};
/** Every dataset here has type "dataset"; harvest sources, showcases… do not exist. */
const TYPE_FIELDS = new Set(['dataset_type', 'type']);
const DATE_FIELDS = new Set<FilterField>(['metadata_modified', 'metadata_created']);
/** compileFilter has no ordering for these. */
const NO_RANGE = new Set<FilterField>(['text', 'private']);

// ---------------------------------------------------------------- dates

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:\d{2})?)?/;
const MATH_RE = /^(?:([+-])(\d+)([A-Za-z]+)|\/([A-Za-z]+))/;
type Unit = 'year' | 'month' | 'day' | 'hour' | 'minute' | 'second' | 'milli';
const UNITS: Record<string, Unit> = {
  YEAR: 'year',
  YEARS: 'year',
  MONTH: 'month',
  MONTHS: 'month',
  DAY: 'day',
  DAYS: 'day',
  DATE: 'day',
  HOUR: 'hour',
  HOURS: 'hour',
  MINUTE: 'minute',
  MINUTES: 'minute',
  SECOND: 'second',
  SECONDS: 'second',
  MILLI: 'milli',
  MILLIS: 'milli',
  MILLISECOND: 'milli',
  MILLISECONDS: 'milli',
};
const UNIT_MS: Record<Exclude<Unit, 'year' | 'month'>, number> = { day: 86_400_000, hour: 3_600_000, minute: 60_000, second: 1000, milli: 1 };

const daysIn = (y: number, m0: number) => new Date(Date.UTC(y, m0 + 1, 0)).getUTCDate();

/** Calendar month arithmetic clamps the day like Solr's (Jan 31 + 1MONTH = Feb 28/29). */
function addMonths(ms: number, n: number): number {
  const d = new Date(ms);
  const total = d.getUTCFullYear() * 12 + d.getUTCMonth() + n;
  const y = Math.floor(total / 12);
  const m = total - y * 12;
  return Date.UTC(y, m, Math.min(d.getUTCDate(), daysIn(y, m)), d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds(), d.getUTCMilliseconds());
}

function roundDown(ms: number, unit: Unit): number {
  const d = new Date(ms);
  switch (unit) {
    case 'year':
      return Date.UTC(d.getUTCFullYear(), 0, 1);
    case 'month':
      return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
    default:
      return ms - (((ms % UNIT_MS[unit]) + UNIT_MS[unit]) % UNIT_MS[unit]);
  }
}

/**
 * A Solr date (`YYYY-MM-DD`, `YYYY-MM-DDThh:mm:ss[.f…]Z`, `NOW`) with
 * optional date math (`-1DAY`, `/DAY`, `+2HOURS`…), resolved to an ISO
 * timestamp in UTC. Microseconds (the CKAN harvester sends 6 digits) are
 * kept, since PostgreSQL stores them; finer digits are cut off.
 */
export function solrDate(raw: string, term: string, now: Date = new Date()): string {
  const bad = (why: string) => new SolrSyntaxError(`Invalid date "${raw}" in "${term}": ${why}`, term);
  let ms: number;
  let micro = 0; // the microseconds below the millisecond
  let rest: string;
  if (/^NOW/i.test(raw)) {
    ms = now.getTime();
    rest = raw.slice(3);
  } else {
    const m = DATE_RE.exec(raw);
    if (!m) throw bad('expected YYYY-MM-DD, YYYY-MM-DDThh:mm:ssZ or NOW');
    const [y, mo, d, h = '0', mi = '0', s = '0', frac = '', tz = 'Z'] = m.slice(1);
    const n = (x: string) => Number(x);
    if (n(mo) < 1 || n(mo) > 12 || n(d) < 1 || n(d) > daysIn(n(y), n(mo) - 1) || n(h) > 23 || n(mi) > 59 || n(s) > 59) throw bad('no such day or time');
    const digits = frac.padEnd(6, '0');
    ms = Date.UTC(n(y), n(mo) - 1, n(d), n(h), n(mi), n(s), n(digits.slice(0, 3)));
    micro = n(digits.slice(3, 6));
    if (tz !== 'Z') {
      const sign = tz[0] === '-' ? -1 : 1;
      const [th, tm] = tz.slice(1).split(':').map(Number);
      if (th > 23 || tm > 59) throw bad('invalid time zone offset');
      ms -= sign * (th * 60 + tm) * 60_000;
    }
    rest = raw.slice(m[0].length);
  }
  while (rest) {
    const m = MATH_RE.exec(rest);
    if (!m) throw bad(`cannot read date math "${rest}"`);
    const unit = UNITS[(m[3] ?? m[4]).toUpperCase()];
    if (!unit) throw bad(`unknown date unit "${m[3] ?? m[4]}"`);
    if (m[4] !== undefined) {
      ms = roundDown(ms, unit);
      micro = 0;
    } else {
      const amount = (m[1] === '-' ? -1 : 1) * Number(m[2]);
      ms = unit === 'year' ? addMonths(ms, 12 * amount) : unit === 'month' ? addMonths(ms, amount) : ms + amount * UNIT_MS[unit];
    }
    rest = rest.slice(m[0].length);
  }
  const date = new Date(ms);
  if (Number.isNaN(date.getTime()) || date.getUTCFullYear() < 1 || date.getUTCFullYear() > 9999) throw bad('out of range');
  const iso = date.toISOString();
  return micro ? `${iso.slice(0, -1)}${String(micro).padStart(3, '0')}Z` : iso;
}

// ---------------------------------------------------------------- lexer

interface Word {
  kind: 'word';
  value: string; // unescaped
  wildcard: boolean; // has an unescaped * or ?
  escapedWildcard: boolean; // has an escaped \* or \?
}
interface Phrase {
  kind: 'phrase';
  value: string;
}
interface Bound {
  value: string;
  open: boolean; // unquoted `*`
}
interface Range {
  kind: 'range';
  from: Bound;
  to: Bound;
  fromInclusive: boolean;
  toInclusive: boolean;
}
type Value = Word | Phrase | Range;

type Token =
  | { kind: 'lparen' | 'rparen' | 'and' | 'or' | 'not' | 'plus' | 'minus'; pos: number; text: string }
  /** field undefined: the default field of the enclosing group. */
  | { kind: 'term'; pos: number; text: string; field?: string; value: Value }
  /** `field:(` — a group whose bare terms go to field. */
  | { kind: 'group'; pos: number; text: string; field: string };

const isSpace = (c: string) => /\s/.test(c);
/** Characters that end an unquoted term (besides whitespace). */
const TERM_END = new Set(['(', ')', '"', '[', ']', '{', '}', '^', '~']);

class Lexer {
  private i = 0;
  readonly tokens: Token[] = [];

  constructor(private readonly s: string) {}

  private error(message: string, term: string): SolrSyntaxError {
    return new SolrSyntaxError(message, term);
  }

  run(): Token[] {
    const s = this.s;
    while (true) {
      while (this.i < s.length && isSpace(s[this.i])) this.i++;
      if (this.i >= s.length) return this.tokens;
      const pos = this.i;
      const c = s[pos];
      const two = s.slice(pos, pos + 2);
      if (c === '(' || c === ')') this.push(c === '(' ? 'lparen' : 'rparen', 1);
      else if (two === '&&') this.push('and', 2);
      else if (two === '||') this.push('or', 2);
      else if (c === '!') this.push('not', 1);
      else if (c === '+') this.push('plus', 1);
      else if (c === '-') this.push('minus', 1);
      else this.term(pos);
    }
  }

  private push(kind: 'lparen' | 'rparen' | 'and' | 'or' | 'not' | 'plus' | 'minus', len: number): void {
    this.tokens.push({ kind, pos: this.i, text: this.s.slice(this.i, this.i + len) });
    this.i += len;
  }

  /** The source text from pos up to the end of the current whitespace-separated chunk, for messages. */
  private chunk(pos: number): string {
    let j = Math.max(this.i, pos + 1);
    while (j < this.s.length && !isSpace(this.s[j])) j++;
    return this.s.slice(pos, j);
  }

  private term(pos: number): void {
    const s = this.s;
    const c = s[pos];
    if (c === ']' || c === '}' || c === '^' || c === '~' || c === ':') throw this.error(`Unexpected "${c}" in "${this.chunk(pos)}"`, this.chunk(pos));
    if (c === '"' || c === '[' || c === '{') {
      const value = this.value(pos);
      this.suffix(pos);
      this.tokens.push({ kind: 'term', pos, text: s.slice(pos, this.i), value });
      return;
    }
    const word = this.word(false);
    if (s[this.i] === ':') {
      const field = word.value;
      this.i++;
      const next = s[this.i];
      if (next === undefined || isSpace(next) || next === ')') throw this.error(`Empty value for field "${field}" in "${this.chunk(pos)}"`, this.chunk(pos));
      if (next === '(') {
        this.i++;
        this.tokens.push({ kind: 'group', pos, text: s.slice(pos, this.i), field });
        return;
      }
      const value = this.value(pos);
      this.suffix(pos);
      this.tokens.push({ kind: 'term', pos, text: s.slice(pos, this.i), field, value });
      return;
    }
    const raw = s.slice(pos, this.i);
    if (raw === 'AND' || raw === 'OR' || raw === 'NOT') {
      this.tokens.push({ kind: raw === 'AND' ? 'and' : raw === 'OR' ? 'or' : 'not', pos, text: raw });
      return;
    }
    this.suffix(pos);
    this.tokens.push({ kind: 'term', pos, text: s.slice(pos, this.i), value: word });
  }

  /** A value after `field:` or a bare phrase/range. */
  private value(pos: number): Value {
    const s = this.s;
    const c = s[this.i];
    if (c === '"') return { kind: 'phrase', value: this.quoted(pos) };
    if (c === '[' || c === '{') return this.range(pos);
    if (c === '/') throw this.error(`Regular expressions are not supported: "${this.chunk(pos)}"`, this.chunk(pos));
    // Inside a value the field is known, so colons (URIs, times) belong to it.
    const word = this.word(true);
    if (!word.value) throw this.error(`Empty value in "${this.chunk(pos)}"`, this.chunk(pos));
    return word;
  }

  /** Boosts (`^2`) only change scores and are ignored; fuzzy/proximity (`~`) would change matches. */
  private suffix(pos: number): void {
    const s = this.s;
    if (s[this.i] === '^') {
      const m = /^\^\d+(\.\d+)?/.exec(s.slice(this.i));
      if (!m) throw this.error(`Invalid boost in "${this.chunk(pos)}"`, this.chunk(pos));
      this.i += m[0].length;
    }
    if (s[this.i] === '~') throw this.error(`Fuzzy and proximity searches ("~") are not supported: "${this.chunk(pos)}"`, this.chunk(pos));
  }

  private word(allowColon: boolean): Word {
    const s = this.s;
    const w: Word = { kind: 'word', value: '', wildcard: false, escapedWildcard: false };
    while (this.i < s.length) {
      const c = s[this.i];
      if (c === '\\') {
        const next = s[this.i + 1];
        if (next === undefined) throw this.error(`Dangling backslash at the end of "${this.s}"`, this.s);
        if (next === '*' || next === '?') w.escapedWildcard = true;
        w.value += next;
        this.i += 2;
        continue;
      }
      if (isSpace(c) || TERM_END.has(c) || (c === ':' && !allowColon)) break;
      if (c === '*' || c === '?') w.wildcard = true;
      w.value += c;
      this.i++;
    }
    return w;
  }

  /** A "quoted" string starting at this.i; backslash escapes any character. */
  private quoted(pos: number): string {
    const s = this.s;
    let v = '';
    let j = this.i + 1;
    while (j < s.length && s[j] !== '"') {
      if (s[j] === '\\' && j + 1 < s.length) j++;
      v += s[j++];
    }
    if (j >= s.length) throw this.error(`Unterminated quoted value in "${s.slice(pos)}"`, s.slice(pos));
    this.i = j + 1;
    return v;
  }

  /** `[a TO b]`, `{a TO b}` or mixed; `*` is an open end. */
  private range(pos: number): Range {
    const s = this.s;
    const fromInclusive = s[this.i] === '[';
    this.i++;
    const broken = (why: string): SolrSyntaxError => {
      let j = this.i;
      while (j < s.length && s[j] !== ']' && s[j] !== '}') j++;
      const term = s.slice(pos, Math.min(j + 1, s.length));
      return this.error(`Invalid range "${term}": ${why}`, term);
    };
    const ws = () => {
      while (this.i < s.length && isSpace(s[this.i])) this.i++;
    };
    const bound = (which: string): Bound => {
      ws();
      if (s[this.i] === '"') return { value: this.quoted(pos), open: false };
      let v = '';
      let escaped = false;
      while (this.i < s.length && !isSpace(s[this.i]) && s[this.i] !== ']' && s[this.i] !== '}') {
        if (s[this.i] === '\\' && this.i + 1 < s.length) {
          escaped = true;
          this.i++;
        }
        v += s[this.i++];
      }
      if (!v) throw broken(`missing ${which} bound`);
      return { value: v, open: v === '*' && !escaped };
    };
    const from = bound('lower');
    ws();
    const after = s[this.i + 2];
    if (s.slice(this.i, this.i + 2) !== 'TO' || !(after === undefined || isSpace(after) || after === ']' || after === '}')) throw broken('expected "TO" between the bounds');
    this.i += 2;
    const to = bound('upper');
    ws();
    const close = s[this.i];
    if (close !== ']' && close !== '}') throw broken('expected "]" or "}" after the upper bound');
    this.i++;
    return { kind: 'range', from, to, fromInclusive, toInclusive: close === ']' };
  }
}

// ---------------------------------------------------------------- terms

function typeFilter(field: string, value: Value, term: string): Filter {
  switch (value.kind) {
    case 'phrase':
      return value.value === 'dataset' ? ALL : NONE;
    case 'word': {
      if (!value.wildcard) return value.value === 'dataset' ? ALL : NONE;
      const re = new RegExp(`^${value.value.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`);
      return re.test('dataset') ? ALL : NONE;
    }
    case 'range':
      throw new SolrSyntaxError(`A range on ${field} is not supported: "${term}"`, term);
  }
}

function capacityValue(v: string, term: string): string {
  if (v === 'public') return 'false';
  if (v === 'private') return 'true';
  throw new SolrSyntaxError(`capacity must be "public" or "private" in "${term}"`, term);
}

function termFilter(field: string, value: Value, term: string, now: Date): Filter {
  if (field === '*') {
    if (value.kind === 'word' && value.value === '*' && value.wildcard) return ALL;
    throw new SolrSyntaxError(`"*" as a field name is only allowed in "*:*", not in "${term}"`, term);
  }
  if (TYPE_FIELDS.has(field)) return typeFilter(field, value, term);
  if (!Object.hasOwn(FIELDS, field)) throw new SolrSyntaxError(`Unknown search field "${field}" in "${term}"`, term);
  const target = FIELDS[field];
  const isDate = DATE_FIELDS.has(target);
  const scalar = (v: string): string => {
    if (isDate) return solrDate(v, term, now);
    if (field === 'capacity') return capacityValue(v, term);
    // CKAN's format names (GeoJSON, WMS) and media types name the EU file type the catalog stores.
    if (target === 'format') return resolveFormat(v)?.code ?? v;
    return v;
  };
  switch (value.kind) {
    case 'phrase':
      if (!value.value) throw new SolrSyntaxError(`Empty value for field "${field}" in "${term}"`, term);
      return { op: 'eq', field: target, value: scalar(value.value) };
    case 'word':
      if (!value.wildcard) return { op: 'eq', field: target, value: scalar(value.value) };
      if (/^\*+$/.test(value.value)) return { op: 'exists', field: target };
      if (value.escapedWildcard) throw new SolrSyntaxError(`Escaped and unescaped wildcards cannot be mixed in "${term}"`, term);
      if (isDate || field === 'capacity') throw new SolrSyntaxError(`Wildcards are not supported on ${field}: "${term}"`, term);
      return { op: 'wildcard', field: target, value: value.value };
    case 'range': {
      if (value.from.open && value.to.open) return { op: 'exists', field: target };
      if (NO_RANGE.has(target)) throw new SolrSyntaxError(`A range on ${field} is not supported: "${term}"`, term);
      // An open end is an absent key, not `undefined`, so trees compare cleanly.
      return {
        op: 'range',
        field: target,
        ...(value.from.open ? {} : { from: scalar(value.from.value) }),
        ...(value.to.open ? {} : { to: scalar(value.to.value) }),
        fromInclusive: value.fromInclusive,
        toInclusive: value.toInclusive,
      };
    }
  }
}

// ---------------------------------------------------------------- parser

interface Clause {
  filter: Filter;
  /** Carried a Lucene `+`/`-` occurrence prefix. */
  prefixed: boolean;
  text: string;
}

class Parser {
  private i = 0;
  private readonly fields: string[] = ['text'];

  constructor(
    private readonly input: string,
    private readonly tokens: Token[],
    private readonly now: Date,
  ) {}

  parse(): Filter {
    const f = this.sequence();
    const t = this.tokens[this.i];
    if (t) throw new SolrSyntaxError(`Unexpected "${t.text}" at position ${t.pos + 1} in "${this.input}"`, t.text);
    return f;
  }

  private peek(): Token | undefined {
    return this.tokens[this.i];
  }

  /** Clauses separated by whitespace only: AND (CKAN's default operator). */
  private sequence(): Filter {
    const parts: Filter[] = [];
    while (this.peek() && this.peek()?.kind !== 'rparen') parts.push(this.orExpr());
    return and(parts);
  }

  private orExpr(): Filter {
    const first = this.andExpr();
    const parts = [first];
    while (this.peek()?.kind === 'or') {
      const op = this.tokens[this.i++];
      parts.push(this.andExpr(op.text));
    }
    if (parts.length > 1) {
      const p = parts.find((c) => c.prefixed);
      // Lucene reads `a OR -b` as "a without b", boolean logic as "a or not b": refuse to pick one.
      if (p) throw new SolrSyntaxError(`Ambiguous "${p.text}" inside OR: a +/- prefixed clause cannot be an OR operand; use parentheses, e.g. "a OR (*:* -b)"`, p.text);
    }
    return parts.length === 1 ? first.filter : or(parts.map((c) => c.filter));
  }

  private andExpr(after?: string): Clause {
    const first = this.unary(after);
    const parts = [first];
    while (this.peek()?.kind === 'and') {
      const op = this.tokens[this.i++];
      parts.push(this.unary(op.text));
    }
    return parts.length === 1 ? first : { filter: and(parts.map((c) => c.filter)), prefixed: false, text: parts.map((c) => c.text).join(' AND ') };
  }

  private unary(after?: string): Clause {
    const t = this.peek();
    if (!t) throw this.dangling(after);
    if (t.kind === 'not' || t.kind === 'plus' || t.kind === 'minus') {
      this.i++;
      const inner = this.primary(t.text);
      const text = `${t.text}${t.kind === 'not' ? ' ' : ''}${inner.text}`;
      if (t.kind === 'plus') return { filter: inner.filter, prefixed: true, text };
      return { filter: not(inner.filter), prefixed: t.kind === 'minus', text };
    }
    return this.primary(after);
  }

  private dangling(after?: string): SolrSyntaxError {
    return after ? new SolrSyntaxError(`Expected a clause after "${after}" in "${this.input}"`, after) : new SolrSyntaxError(`Expected a clause in "${this.input}"`, this.input);
  }

  private primary(after?: string): Clause {
    const t = this.peek();
    if (!t) throw this.dangling(after);
    switch (t.kind) {
      case 'term':
        this.i++;
        return { filter: termFilter(t.field ?? this.fields[this.fields.length - 1], t.value, t.text, this.now), prefixed: false, text: t.text };
      case 'lparen':
      case 'group': {
        this.i++;
        if (t.kind === 'group') this.fields.push(t.field);
        if (this.peek()?.kind === 'rparen') throw new SolrSyntaxError(`Empty parentheses at position ${t.pos + 1} in "${this.input}"`, `${t.text})`);
        const filter = this.sequence();
        if (this.peek()?.kind !== 'rparen') {
          const term = this.input.slice(t.pos);
          throw new SolrSyntaxError(`Missing ")" for "${t.text}" at position ${t.pos + 1} in "${this.input}"`, term);
        }
        const close = this.tokens[this.i++];
        if (t.kind === 'group') this.fields.pop();
        return { filter, prefixed: false, text: this.input.slice(t.pos, close.pos + 1) };
      }
      default:
        if (t.kind === 'rparen' && !after) throw new SolrSyntaxError(`Unexpected ")" at position ${t.pos + 1} in "${this.input}"`, ')');
        throw new SolrSyntaxError(after ? `Expected a clause after "${after}", found "${t.text}" in "${this.input}"` : `Unexpected "${t.text}" at position ${t.pos + 1} in "${this.input}"`, t.text);
    }
  }
}

// ---------------------------------------------------------------- API

/** Parses one q or fq string. Bare terms (no field) go to the 'text' field. '*:*' and '' → { op: 'all' }. */
export function parseSolr(input: string, options: SolrOptions = {}): Filter {
  const s = input.trim();
  if (s.includes('{!')) throw new SolrSyntaxError(`Local parameters are not supported: "${s}"`, s);
  if (!s || s === '*:*') return ALL;
  const parser = new Parser(s, new Lexer(s).run(), options.now ?? new Date());
  return parser.parse();
}

/** CKAN reads these q values as "everything" (ckan/lib/search/query.py). */
const MATCH_ALL_Q = new Set(['', '""', "''", '*:*']);

/**
 * q for package_search: returns free text for the German full-text search when q has no field syntax
 * (CKAN DisMax behaviour: plain words), else a Filter.
 */
export function parseQ(q: string | undefined, options: SolrOptions = {}): { text?: string; filter?: Filter } {
  const s = (q ?? '').trim();
  if (MATCH_ALL_Q.has(s)) return {};
  if (s.includes('{!')) throw new SolrSyntaxError(`Local parameters are not supported: "${s}"`, s);
  // CKAN switches to DisMax exactly when q contains no colon.
  if (!s.includes(':')) return { text: s };
  const filter = parseSolr(s, options);
  return filter.op === 'all' ? {} : { filter };
}

/** Combines fq, fq_list entries into one Filter (AND), or undefined when all are empty / *:* . */
export function parseFilters(fqs: (string | undefined)[], options: SolrOptions = {}): Filter | undefined {
  const now = options.now ?? new Date(); // one NOW for all entries
  const parts = fqs.filter((f): f is string => f !== undefined && f.trim() !== '').map((f) => parseSolr(f, { now }));
  const f = and(parts);
  return f.op === 'all' ? undefined : f;
}
