import { pickText } from '../catalog/normalize.js';

/**
 * DCAT-AP.de properties CKAN has no column for travel as flat string keys:
 * package extras and resource keys, named as ckanext-dcat and
 * ckanext-dcatde name them, so GovData's and ckanext-dcat's readers
 * understand them. A rule that cannot hold a value in full (a second
 * language, a second agent, ...) is backed by `json_<term>` with the JSON of
 * the model value, which wins on the way back: nothing is lost either way.
 */

export type Flat = Record<string, string>;
type Value = unknown;

export interface Rule {
  term: string;
  /** The flat keys this rule writes; read back through the same keys. */
  keys: readonly string[];
  to(value: Value, lang: string): Flat;
  from(flat: Flat, lang: string): Value;
  /**
   * The fast form of `to` plus the read-back check toFlat makes: writes what
   * `to` gives into `out` (same keys, values and order) and says whether
   * `from` of it is the value again, without building either. Written for
   * the shapes stored documents have; any other shape goes to `generic`.
   * test/ckan/package-dict.test.ts holds it to `to`/`from` on random values.
   */
  flatten?(value: Value, lang: string, out: Flat): boolean;
}

/** What toFlat does for one rule: `to`, then `from` of the result compared with the value. */
export function generic(rule: Rule, value: Value, lang: string, out: Flat): boolean {
  const flat = rule.to(value, lang);
  Object.assign(out, flat);
  return sameValue(rule.from(flat, lang), value);
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * A plain object (as JSON.parse makes them), whose `for in` keys are its own
 * keys, the ones sameValue compares. Only these take the fast paths.
 */
function plain(v: unknown): v is Record<string, unknown> {
  if (!isObject(v)) return false;
  const proto: unknown = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/** A plain object whose values are all strings (a language map, an agent's literals), or undefined. */
export function strings(v: unknown): Record<string, string> | undefined {
  if (!plain(v)) return undefined;
  for (const k in v) if (typeof v[k] !== 'string') return undefined;
  return v as Record<string, string>;
}

/** Whether a language map with string values reads back as itself from its text in `lang`: one key, `lang`. */
function soleLanguage(map: Record<string, string>, lang: string): boolean {
  if (map[lang] === undefined) return false;
  for (const k in map) if (k !== lang) return false;
  return true;
}

/** `out[key] = v` unless v is undefined or '' (what `compact` leaves out); whether it was written. */
export function put(out: Flat, key: string, v: string | undefined): boolean {
  if (v === undefined || v === '') return false;
  out[key] = v;
  return true;
}

/** An array whose items are all strings. */
function allStrings(v: unknown[]): v is string[] {
  for (let i = 0; i < v.length; i++) if (typeof v[i] !== 'string') return false;
  return true;
}

function parseList(s: string | undefined): string[] | undefined {
  if (s === undefined || s === '') return undefined;
  const t = s.trim();
  if (t.startsWith('[')) {
    try {
      const v: unknown = JSON.parse(t);
      if (Array.isArray(v)) return v.map(String);
    } catch {
      // a plain value that happens to start with "["
    }
  }
  // CKAN forms and older portals write comma-separated lists.
  return t.includes(',') && !/^https?:/.test(t) ? t.split(',').map((x) => x.trim()).filter(Boolean) : [t];
}

const compact = (flat: Record<string, string | undefined>): Flat => Object.fromEntries(Object.entries(flat).filter((e): e is [string, string] => e[1] !== undefined && e[1] !== ''));

/** A single IRI, literal or date. */
export const one = (term: string, key: string): Rule => ({
  term,
  keys: [key],
  to: (v) => compact({ [key]: typeof v === 'string' || typeof v === 'number' ? String(v) : undefined }),
  from: (f) => f[key],
  flatten(v, _lang, out) {
    if (typeof v === 'string') return put(out, key, v);
    if (typeof v === 'number') out[key] = String(v); // read back as a string: not the number
    return false;
  },
});

/** A single number (byteSize, spatial resolution). */
export const num = (term: string, key: string): Rule => ({
  term,
  keys: [key],
  to: (v) => compact({ [key]: typeof v === 'number' ? String(v) : undefined }),
  from: (f) => (f[key] !== undefined && f[key] !== '' && Number.isFinite(Number(f[key])) ? Number(f[key]) : f[key]),
  flatten(v, _lang, out) {
    if (typeof v !== 'number') return false;
    out[key] = String(v);
    return Number.isFinite(v); // String of a finite number reads back as that number; NaN and Infinity do not
  },
});

/** An array of IRIs as a JSON list string (ckanext-dcat's convention). */
export const list = (term: string, key: string): Rule => ({
  term,
  keys: [key],
  to: (v) => compact({ [key]: Array.isArray(v) && v.length ? JSON.stringify(v) : undefined }),
  from: (f) => parseList(f[key]),
  flatten(v, _lang, out) {
    if (!Array.isArray(v) || !v.length) return false;
    out[key] = JSON.stringify(v);
    return allStrings(v); // parseList gives strings back
  },
});

/**
 * IRIs of resources that may also be described inline (dcat:inSeries): the
 * IRIs as a JSON list, as ckanext-dcat's in_series; descriptions travel in
 * json_<term>. A value without an IRI (a blank node) leaves the key out.
 */
export const iriList = (term: string, key: string): Rule => ({
  term,
  keys: [key],
  to: (v) => {
    if (!Array.isArray(v) || !v.length) return {};
    const iris = v.map((x) => (typeof x === 'string' ? x : isObject(x) && typeof x['@id'] === 'string' ? x['@id'] : undefined));
    return iris.every((x) => x !== undefined) ? { [key]: JSON.stringify(iris) } : {};
  },
  from: (f) => parseList(f[key]),
  flatten(v, lang, out) {
    if (!Array.isArray(v) || !v.length || !allStrings(v)) return generic(this, v, lang, out);
    out[key] = JSON.stringify(v);
    return true;
  },
});

/** An array holding one IRI as a plain string (politicalGeocodingLevelURI). */
export const single = (term: string, key: string): Rule => ({
  term,
  keys: [key],
  to: (v) => compact({ [key]: Array.isArray(v) && v.length === 1 ? String(v[0]) : undefined }),
  from: (f) => parseList(f[key]),
  flatten(v, lang, out) {
    if (!Array.isArray(v) || v.length !== 1 || typeof v[0] !== 'string') return generic(this, v, lang, out);
    const s = v[0];
    if (!put(out, key, s)) return false;
    const back = parseList(s); // a comma or brackets would make it a list
    return back?.length === 1 && back[0] === s;
  },
});

/** Text in the catalog language. */
export const text = (term: string, key: string): Rule => ({
  term,
  keys: [key],
  to: (v, lang) => compact({ [key]: isObject(v) || typeof v === 'string' ? pickText(v as Record<string, string>, lang) : undefined }),
  from: (f, lang) => (f[key] === undefined ? undefined : { [lang]: f[key] }),
  flatten(v, lang, out) {
    if (typeof v === 'string') {
      put(out, key, v);
      return false; // reads back as a language map
    }
    const map = strings(v);
    if (!map) return generic(this, v, lang, out);
    return put(out, key, pickText(map, lang)) && soleLanguage(map, lang);
  },
});

/** Text in the catalog language as a JSON list (dcatde legalbasisText, geocodingText). */
export const textList = (term: string, key: string): Rule => ({
  term,
  keys: [key],
  to: (v, lang) => compact({ [key]: isObject(v) || typeof v === 'string' ? JSON.stringify([pickText(v as Record<string, string>, lang)]) : undefined }),
  from: (f, lang) => {
    const l = parseList(f[key]);
    return l?.length ? { [lang]: l.join('\n') } : undefined;
  },
  flatten(v, lang, out) {
    if (typeof v === 'string') {
      out[key] = JSON.stringify([v]);
      return false; // reads back as a language map
    }
    const map = strings(v);
    if (!map) return generic(this, v, lang, out);
    out[key] = JSON.stringify([pickText(map, lang)]);
    return soleLanguage(map, lang);
  },
});

const stripMailto = (s: unknown) => (typeof s === 'string' ? s.replace(/^mailto:/i, '') : undefined);
const mailto = (s: string | undefined) => (s ? (s.includes(':') ? s : `mailto:${s}`) : undefined);

/**
 * One foaf:Agent as prefix_name/_email/_url/_type/_uri (publisher, originator,
 * author as creator); its class (Organization/Person) as ckanext-dcatde's
 * prefix_contacttype. `defaultClass` is the class the catalog gives an agent
 * without one (the publisher is an Organization): it needs no key.
 */
export function agent(
  term: string,
  keys: { name: string; email: string; url?: string; type?: string; uri?: string; contacttype?: string },
  many: boolean,
  defaultClass?: string,
): Rule {
  const all = Object.values(keys).filter((k): k is string => !!k);
  return {
    term,
    keys: all,
    to(v, lang) {
      const a = many ? (Array.isArray(v) && v.length === 1 ? v[0] : undefined) : v;
      if (!isObject(a)) return {};
      return compact({
        [keys.name]: pickText(a.name as Record<string, string> | undefined, lang) || undefined,
        [keys.email]: stripMailto(a.mbox),
        ...(keys.url ? { [keys.url]: a.homepage as string | undefined } : {}),
        ...(keys.type ? { [keys.type]: a.type as string | undefined } : {}),
        ...(keys.uri ? { [keys.uri]: a['@id'] as string | undefined } : {}),
        ...(keys.contacttype && a['@type'] !== defaultClass ? { [keys.contacttype]: a['@type'] as string | undefined } : {}),
      });
    },
    from(f, lang) {
      if (!all.some((k) => f[k])) return undefined;
      const a = compact({
        '@id': keys.uri ? f[keys.uri] : undefined,
        mbox: mailto(f[keys.email]),
        homepage: keys.url ? f[keys.url] : undefined,
        type: keys.type ? f[keys.type] : undefined,
        '@type': (keys.contacttype ? f[keys.contacttype] : undefined) ?? defaultClass,
      }) as Record<string, unknown>;
      if (f[keys.name]) a.name = { [lang]: f[keys.name] };
      return many ? [a] : a;
    },
    flatten(v, lang, out) {
      const a = many ? (Array.isArray(v) && v.length === 1 ? v[0] : undefined) : v;
      if (!isObject(a)) return false;
      if (!plain(a)) return generic(this, v, lang, out);
      // Fast for string literals and a name that is a string or a language map; other shapes the long way.
      for (const k in a) if (typeof a[k] !== 'string' && !(k === 'name' && strings(a.name))) return generic(this, v, lang, out);
      const lit = a as Record<string, string | undefined>;
      const name = a.name as string | Record<string, string> | undefined;
      const email = stripMailto(lit.mbox);
      const type = lit['@type'];
      let any = put(out, keys.name, pickText(name, lang));
      if (put(out, keys.email, email)) any = true;
      if (keys.url && put(out, keys.url, lit.homepage)) any = true;
      if (keys.type && put(out, keys.type, lit.type)) any = true;
      if (keys.uri && put(out, keys.uri, lit['@id'])) any = true;
      const typeKept = !!keys.contacttype && type !== defaultClass && put(out, keys.contacttype, type);
      if (typeKept) any = true;
      // Held in full when `from` rebuilds every key of the agent, and no key it lacks.
      if (!any || (type === undefined && defaultClass !== undefined)) return false;
      for (const k in lit) {
        const x = lit[k];
        switch (k) {
          case '@id':
            if (!keys.uri || x === '') return false;
            break;
          case 'homepage':
            if (!keys.url || x === '') return false;
            break;
          case 'type':
            if (!keys.type || x === '') return false;
            break;
          case 'mbox':
            if (!email || mailto(email) !== x) return false;
            break;
          case '@type':
            if (!typeKept && x !== defaultClass) return false;
            break;
          case 'name':
            if (typeof name !== 'object' || !soleLanguage(name, lang) || name[lang] === '') return false;
            break;
          default:
            return false;
        }
      }
      return true;
    },
  };
}

const ADDRESS_TERMS = new Set(['streetAddress', 'locality', 'postalCode', 'countryName']);

/** The first vcard contact point as CKAN's maintainer fields plus ckanext-dcat(de)'s contact extras. */
export const contactPoint: Rule = {
  term: 'contactPoint',
  keys: ['maintainer', 'maintainer_email', 'contact_uri', 'contact_url', 'contact_tel', 'maintainer_street', 'maintainer_city', 'maintainer_zip', 'maintainer_country'],
  to(v) {
    const c = Array.isArray(v) && v.length === 1 ? v[0] : undefined;
    if (!isObject(c)) return {};
    const adr = isObject(c.hasAddress) ? c.hasAddress : {};
    return compact({
      maintainer: c.fn as string | undefined,
      maintainer_email: stripMailto(c.hasEmail),
      contact_uri: c['@id'] as string | undefined,
      contact_url: c.hasURL as string | undefined,
      contact_tel: typeof c.hasTelephone === 'string' ? c.hasTelephone.replace(/^tel:/, '') : undefined,
      maintainer_street: adr.streetAddress as string | undefined,
      maintainer_city: adr.locality as string | undefined,
      maintainer_zip: adr.postalCode as string | undefined,
      maintainer_country: adr.countryName as string | undefined,
    });
  },
  from(f) {
    if (!this.keys.some((k) => f[k])) return undefined;
    const address = compact({ streetAddress: f.maintainer_street, locality: f.maintainer_city, postalCode: f.maintainer_zip, countryName: f.maintainer_country });
    const c: Record<string, unknown> = compact({
      '@id': f.contact_uri,
      fn: f.maintainer,
      hasEmail: mailto(f.maintainer_email),
      hasURL: f.contact_url,
      hasTelephone: f.contact_tel ? `tel:${f.contact_tel.replace(/\s+/g, '')}` : undefined,
    });
    if (Object.keys(address).length) c.hasAddress = address;
    return [c];
  },
  flatten(v, lang, out) {
    const c = Array.isArray(v) && v.length === 1 ? v[0] : undefined;
    if (!isObject(c)) return false;
    if (!plain(c)) return generic(this, v, lang, out);
    for (const k in c) if (typeof c[k] !== 'string' && !(k === 'hasAddress' && strings(c.hasAddress))) return generic(this, v, lang, out);
    const lit = c as Record<string, string | undefined>;
    const adr = isObject(c.hasAddress) ? (c.hasAddress as Record<string, string>) : undefined;
    const email = stripMailto(lit.hasEmail);
    const tel = lit.hasTelephone?.replace(/^tel:/, '');
    let any = put(out, 'maintainer', lit.fn);
    if (put(out, 'maintainer_email', email)) any = true;
    if (put(out, 'contact_uri', lit['@id'])) any = true;
    if (put(out, 'contact_url', lit.hasURL)) any = true;
    if (put(out, 'contact_tel', tel)) any = true;
    if (adr) {
      if (put(out, 'maintainer_street', adr.streetAddress)) any = true;
      if (put(out, 'maintainer_city', adr.locality)) any = true;
      if (put(out, 'maintainer_zip', adr.postalCode)) any = true;
      if (put(out, 'maintainer_country', adr.countryName)) any = true;
    }
    if (!any) return false;
    // Held in full when `from` rebuilds every key of the contact point (its class it cannot).
    for (const k in lit) {
      const x = lit[k];
      if (k === '@id' || k === 'fn' || k === 'hasURL') {
        if (x === '') return false;
      } else if (k === 'hasEmail') {
        if (!email || mailto(email) !== x) return false;
      } else if (k === 'hasTelephone') {
        if (!tel || `tel:${tel.replace(/\s+/g, '')}` !== x) return false;
      } else if (k === 'hasAddress') {
        if (!adr) return false;
        let n = 0;
        for (const a in adr) {
          if (!ADDRESS_TERMS.has(a) || adr[a] === '') return false;
          n++;
        }
        if (!n) return false; // an empty address is not rebuilt
      } else return false;
    }
    return true;
  },
};

/** One period as temporal_start / temporal_end. */
export const temporal: Rule = {
  term: 'temporal',
  keys: ['temporal_start', 'temporal_end'],
  to(v) {
    const p = Array.isArray(v) && v.length === 1 && isObject(v[0]) && !v[0]['@id'] ? v[0] : undefined;
    return p ? compact({ temporal_start: p.startDate as string | undefined, temporal_end: p.endDate as string | undefined }) : {};
  },
  from(f) {
    if (!f.temporal_start && !f.temporal_end) return undefined;
    return [compact({ startDate: f.temporal_start, endDate: f.temporal_end })];
  },
  flatten(v, lang, out) {
    const p = Array.isArray(v) && v.length === 1 ? strings(v[0]) : undefined;
    if (!p) return generic(this, v, lang, out);
    if (p['@id']) return false; // a period with an IRI stays whole in json_temporal
    const start = put(out, 'temporal_start', p.startDate);
    const end = put(out, 'temporal_end', p.endDate);
    if (!start && !end) return false;
    for (const k in p) if ((k !== 'startDate' && k !== 'endDate') || p[k] === '') return false;
    return true;
  },
};

/** One spatial IRI as spatial_uri, or one geometry as spatial (GeoJSON or WKT). */
export const spatial: Rule = {
  term: 'spatial',
  keys: ['spatial_uri', 'spatial'],
  to(v): Flat {
    if (!Array.isArray(v) || v.length !== 1) return {};
    const s = v[0];
    if (typeof s === 'string') return { spatial_uri: s };
    if (isObject(s) && typeof s.geometry === 'string' && Object.keys(s).every((k) => k === 'geometry')) return { spatial: s.geometry };
    return {};
  },
  from(f) {
    if (f.spatial_uri) return [f.spatial_uri];
    if (f.spatial) return [{ geometry: f.spatial }];
    return undefined;
  },
  flatten(v, lang, out) {
    const s: unknown = Array.isArray(v) && v.length === 1 ? v[0] : undefined;
    if (typeof s === 'string') {
      out.spatial_uri = s;
      return s !== '';
    }
    // A dct:Location without a geometry literal (a label, a bbox) has no key: it stays whole in json_spatial.
    if (isObject(s) && typeof s.geometry !== 'string') return false;
    return generic(this, v, lang, out);
  },
};

/** adms:identifier nodes holding only a notation, as a JSON list of notations. */
export const otherIdentifier: Rule = {
  term: 'otherIdentifier',
  keys: ['alternate_identifier'],
  to(v): Flat {
    if (!Array.isArray(v) || !v.every((x) => isObject(x) && typeof x.notation === 'string' && Object.keys(x).length === 1)) return {};
    return { alternate_identifier: JSON.stringify(v.map((x) => (x as { notation: string }).notation)) };
  },
  from(f) {
    return parseList(f.alternate_identifier)?.map((notation) => ({ notation }));
  },
};

/** Order-insensitive for object keys, order-sensitive for arrays. */
export function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => sameValue(x, b[i]));
  if (isObject(a) && isObject(b)) {
    const ka = Object.keys(a).filter((k) => a[k] !== undefined);
    const kb = Object.keys(b).filter((k) => b[k] !== undefined);
    return ka.length === kb.length && ka.every((k) => sameValue(a[k], b[k]));
  }
  return false;
}

export const FALLBACK_PREFIX = 'json_';

/**
 * The flat keys of a node: each rule's keys when the rule holds the value in
 * full, plus `json_<term>` JSON for whatever no rule holds in full. `skip`
 * names terms that core fields carry.
 */
export function toFlat(node: Record<string, unknown>, rules: readonly Rule[], lang: string, skip: ReadonlySet<string>): Flat {
  const out: Flat = {};
  const byTerm = new Map(rules.map((r) => [r.term, r]));
  for (const [term, value] of Object.entries(node)) {
    if (skip.has(term) || value === undefined || value === null) continue;
    const rule = byTerm.get(term);
    const flat = rule ? rule.to(value, lang) : {};
    Object.assign(out, flat);
    if (!rule || !sameValue(rule.from(flat, lang), value)) out[FALLBACK_PREFIX + term] = JSON.stringify(value);
  }
  return out;
}

/**
 * toFlat compiled once for a rule set: each term of a node goes straight to
 * its rule's fast form (or is skipped, or backed up as JSON), with no
 * intermediate flat objects and no read-back per rule. Same keys, values
 * and order as toFlat; the package dicts are built on every read.
 */
export function flattener(rules: readonly Rule[], skip: ReadonlySet<string>): (node: Record<string, unknown>, lang: string) => Flat {
  // null: a skipped term. As in toFlat, skip wins and the last rule of a term is the one.
  const plan = new Map<string, Rule | null>();
  for (const r of rules) plan.set(r.term, r);
  for (const term of skip) plan.set(term, null);
  return (node, lang) => {
    const out: Flat = {};
    for (const term of Object.keys(node)) {
      const value = node[term];
      if (value === undefined || value === null) continue;
      const rule = plan.get(term);
      if (rule === null) continue;
      const held = rule === undefined ? false : rule.flatten ? rule.flatten(value, lang, out) : generic(rule, value, lang, out);
      if (!held) out[FALLBACK_PREFIX + term] = JSON.stringify(value);
    }
    return out;
  };
}

/** The model properties of flat keys; `json_<term>` JSON wins over the rule's keys. */
export function fromFlat(flat: Flat, rules: readonly Rule[], lang: string, terms: ReadonlySet<string>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const rule of rules) {
    const v = rule.from(flat, lang);
    if (v !== undefined) out[rule.term] = v;
  }
  for (const [key, raw] of Object.entries(flat)) {
    if (!key.startsWith(FALLBACK_PREFIX)) continue;
    const term = key.slice(FALLBACK_PREFIX.length);
    if (!terms.has(term)) continue;
    try {
      out[term] = JSON.parse(raw);
    } catch {
      out[term] = raw; // validation names it
    }
  }
  return out;
}
