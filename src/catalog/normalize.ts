import { randomUUID } from 'node:crypto';
import type { TObject, TSchema } from 'typebox';
import type { Config } from '../config/index.js';
import { Dataset as DatasetSchema, type Dataset, type DatasetSeries, type Distribution, type LangMap } from '../domain/model.js';
import { rdfOf } from '../domain/property.js';
import { resolveVocab } from './vocab.js';

/** What normalization needs to know about the owning organization. */
export interface OrgInfo {
  id: string;
  name: string;
  title: string;
  homepage: string | null;
  email: string | null;
  politicalGeocodingUri: string | null;
  politicalGeocodingLevelUri: string | null;
}

export interface NormalizeContext {
  config: Config;
  org: OrgInfo;
  /** The dataset's id (new or existing). */
  id: string;
  now: Date;
  /** The stored document this one replaces (updates). */
  previous?: Dataset;
  /** URI fixed by the caller (harvest, import); else the input's @id on create, else ours. */
  uri?: string;
  /** Existing distribution ids of the dataset: only these may be kept when a client sends them back. */
  existingDistributionIds?: ReadonlySet<string>;
}

export const LOCAL_AUTHORITY = 'http://purl.org/adms/publishertype/LocalAuthority';

export const datasetUri = (config: Config, id: string) => `${config.publicUrl}/dataset/${id}`;
export const organizationUri = (config: Config, name: string) => `${config.publicUrl}/organization/${name}`;

/** The object schema a node-valued property holds. */
export function nodeSchemaOf(schema: TSchema): TObject | undefined {
  const s = schema as { type?: string; items?: TSchema; anyOf?: TSchema[]; properties?: Record<string, TSchema> };
  if (s.type === 'object' && s.properties) return schema as TObject;
  if (s.items) return nodeSchemaOf(s.items);
  if (s.anyOf) for (const alt of s.anyOf) {
    const n = nodeSchemaOf(alt);
    if (n) return n;
  }
  return undefined;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Walks a node along its schema: plain strings become language maps in the
 * catalog language, vocabulary codes and aliases become canonical IRIs.
 * Unknown values stay as they are, for validation to report.
 */
export function normalizeNode(value: Record<string, unknown>, schema: TObject, lang: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    if (v === undefined || v === null) continue;
    const prop = schema.properties[key] as TSchema | undefined;
    const a = prop ? rdfOf(prop) : undefined;
    if (!prop || !a) {
      out[key] = v;
      continue;
    }
    switch (a.kind) {
      case 'text':
        out[key] = typeof v === 'string' ? { [lang]: v } : v;
        break;
      case 'texts':
        out[key] = Array.isArray(v) ? { [lang]: v } : v;
        break;
      case 'iri':
        if (a.vocab) {
          const one = (x: unknown) => (typeof x === 'string' ? (resolveVocab(a.vocab as string, x.trim()) ?? x) : x);
          out[key] = Array.isArray(v) ? v.map(one) : one(v);
        } else out[key] = v;
        break;
      case 'node':
      case 'iriOrNode': {
        const child = nodeSchemaOf(prop);
        const one = (x: unknown) => (isObject(x) && child ? normalizeNode(x, child, lang) : x);
        out[key] = Array.isArray(v) ? v.map(one) : one(v);
        break;
      }
      default:
        out[key] = v;
    }
  }
  return out;
}

/** ä→ae, ö→oe, ü→ue, ß→ss, other accents dropped; CKAN's alphabet a-z0-9-_. */
export function slugify(text: string): string {
  const base = text
    .toLowerCase()
    .replace(/ä/g, 'ae')
    .replace(/ö/g, 'oe')
    .replace(/ü/g, 'ue')
    .replace(/ß/g, 'ss')
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^a-z0-9_-]+/g, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^[-_]+|[-_]+$/g, '')
    .slice(0, 90)
    .replace(/[-_]+$/g, '');
  return base.length >= 2 ? base : `dataset${base ? '-' + base : ''}`;
}

/** Text of a language map in the preferred language, else untagged, else the first. */
export function pickText(map: LangMap | string | undefined, lang: string): string {
  if (map === undefined) return '';
  if (typeof map === 'string') return map;
  return map[lang] ?? map['@none'] ?? Object.values(map)[0] ?? '';
}

function isoNow(now: Date): string {
  return now.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** The publisher an organization gives its datasets when they name none. */
export function organizationPublisher(config: Config, org: OrgInfo): Record<string, unknown> {
  return {
    '@id': organizationUri(config, org.name),
    '@type': 'Organization',
    name: { [config.catalog.language]: org.title },
    type: LOCAL_AUTHORITY,
    ...(org.homepage ? { homepage: org.homepage } : {}),
    ...(org.email ? { mbox: `mailto:${org.email}` } : {}),
  };
}

/**
 * A series as stored: a node holding nothing but its @id is that IRI; a
 * described one without a publisher gets the dataset's (DCAT-AP.de 3.0 wants
 * one on every dcat:DatasetSeries).
 */
function seriesOf(s: string | DatasetSeries, publisher: Dataset['publisher']): string | DatasetSeries {
  if (typeof s !== 'object' || s === null) return s;
  const described = Object.keys(s).some((k) => !k.startsWith('@'));
  if (!described && typeof s['@id'] === 'string') return s['@id'];
  return described && !s.publisher && publisher ? { ...s, publisher } : s;
}

/** accessURL and downloadURL as one key, order-insensitive; '' when the distribution has neither. */
function urlKey(d: Distribution): string {
  const urls = (xs: string[] | undefined) => (xs?.length ? [...xs].sort().join(' ') : '');
  const access = urls(d.accessURL);
  const download = urls(d.downloadURL);
  return access || download ? `${access}|${download}` : '';
}

/**
 * Ids and URIs of the distributions. An update keeps the id (and URI) of the
 * previous distribution each one continues, so CKAN resource ids and minted
 * URIs survive a harvested change or a PUT without ids: an explicit id the
 * dataset has, else the same @id the client or source brought, else the same
 * access and download URLs; each previous distribution is claimed at most
 * once, in order. The rest get new ids.
 */
function distributionsWithIds(dists: Distribution[], ctx: NormalizeContext): Distribution[] {
  const { config, id } = ctx;
  const ours = (x: string) => x.startsWith(`${config.publicUrl}/dataset/`);
  const prev = (ctx.previous?.distribution ?? []).filter((p) => typeof p.id === 'string');
  const ids: (string | undefined)[] = new Array(dists.length);
  const from: (Distribution | undefined)[] = new Array(dists.length);
  const claimed = new Set<string>();
  const claim = (i: number, distId: string, p?: Distribution) => {
    ids[i] = distId;
    from[i] = p;
    claimed.add(distId);
  };
  dists.forEach((d, i) => {
    if (typeof d.id === 'string' && ctx.existingDistributionIds?.has(d.id) && !claimed.has(d.id)) claim(i, d.id, prev.find((p) => p.id === d.id));
  });
  if (prev.length) {
    // Queues per key, so a dataset with many distributions is matched in linear time.
    const byUri = new Map<string, Distribution[]>();
    const byUrls = new Map<string, Distribution[]>();
    const push = (m: Map<string, Distribution[]>, k: string, p: Distribution) => {
      const queue = m.get(k);
      if (queue) queue.push(p);
      else m.set(k, [p]);
    };
    for (const p of prev) {
      if (claimed.has(p.id as string)) continue;
      if (p['@id'] && !ours(p['@id'])) push(byUri, p['@id'], p);
      const k = urlKey(p);
      if (k) push(byUrls, k, p);
    }
    const take = (queue: Distribution[] | undefined) => {
      while (queue?.length) {
        const p = queue.shift() as Distribution;
        if (!claimed.has(p.id as string)) return p;
      }
      return undefined;
    };
    const match = (i: number, p: Distribution | undefined) => p && claim(i, p.id as string, p);
    dists.forEach((d, i) => {
      if (!ids[i] && d['@id'] && !ours(d['@id'])) match(i, take(byUri.get(d['@id'])));
    });
    dists.forEach((d, i) => {
      const k = ids[i] ? '' : urlKey(d);
      if (k) match(i, take(byUrls.get(k)));
    });
  }
  return dists.map((d, i) => {
    const distId = ids[i] ?? randomUUID();
    const minted = `${datasetUri(config, id)}/distribution/${distId}`;
    const given = d['@id'];
    // A URI the client brought stays; one we minted follows the id; a continued distribution keeps its URI.
    let uri: string;
    if (given && !ours(given)) uri = given;
    else if (!ids[i]) uri = minted;
    else if (given && typeof d.id === 'string' && d.id === distId) uri = given;
    else uri = from[i]?.['@id'] ?? minted;
    return { ...d, '@type': 'Distribution', '@id': uri, id: distId };
  });
}

/**
 * The stored document from a client's: language maps and IRIs, server-managed
 * fields (@id, @type, issued, modified, distribution ids), the organization's
 * publisher and political geocoding where the client gave none. Record
 * metadata (name, state, revision, ...) is set by the caller.
 */
export function normalizeDataset(input: Record<string, unknown>, ctx: NormalizeContext): Dataset {
  const { config, org, id, now, previous } = ctx;
  const lang = config.catalog.language;
  const { '@context': _context, ...rest } = input;
  const doc = normalizeNode(rest, DatasetSchema, lang) as Dataset & Record<string, unknown>;
  // Record metadata is the server's; a client that sends back what it read must not set it.
  for (const k of ['state', 'revision', 'metadataCreated', 'metadataModified']) delete doc[k];

  const loose = doc as Record<string, unknown>;
  loose['@type'] = 'Dataset';
  doc['@id'] = ctx.uri ?? previous?.['@id'] ?? (typeof input['@id'] === 'string' ? input['@id'] : datasetUri(config, id));
  doc.id = id;
  const stamp = isoNow(now);
  doc.issued ??= previous?.issued ?? stamp;
  doc.modified ??= stamp;

  if (!doc.publisher) loose.publisher = organizationPublisher(config, org);
  else if (!doc.publisher['@type']) (doc.publisher as Record<string, unknown>)['@type'] = 'Organization';
  if (!doc.politicalGeocodingURI?.length && org.politicalGeocodingUri) doc.politicalGeocodingURI = [org.politicalGeocodingUri];
  if (!doc.politicalGeocodingLevelURI?.length && org.politicalGeocodingLevelUri) doc.politicalGeocodingLevelURI = [org.politicalGeocodingLevelUri];
  if (!doc.contributorID?.length) doc.contributorID = [config.catalog.contributorId];
  if (Array.isArray(doc.inSeries)) loose.inSeries = doc.inSeries.map((s) => seriesOf(s, doc.publisher));

  if (Array.isArray(doc.distribution)) loose.distribution = distributionsWithIds(doc.distribution, ctx);
  return doc;
}

/** RFC 7386 JSON merge patch. */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return patch;
  const out: Record<string, unknown> = isObject(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}
