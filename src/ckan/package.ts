import { createHash } from 'node:crypto';
import type { StoredDataset, DatasetInput } from '../catalog/datasets.js';
import type { Organization } from '../catalog/organizations.js';
import { Dataset as DatasetSchema, Distribution as DistributionSchema, META_KEYS } from '../domain/model.js';
import { ckanFormatName, fileTypes, licenses, mediaTypeIri, mediaTypeOf, resolveFormat, themes } from '../domain/vocab/index.js';
import { agent, contactPoint, FALLBACK_PREFIX, flattener, fromFlat, generic, iriList, list, num, one, otherIdentifier, put, single, spatial, strings, temporal, text, textList, type Flat, type Rule } from './extras.js';
import { memo } from './memo.js';

/**
 * The CKAN package and resource dicts (CKAN 2.11's default schema, with
 * ckanext-dcat/-dcatde extras) from a stored dataset, and back. Both
 * directions use the same rules, so CKAN → model → CKAN keeps every field.
 */

export type Dict = Record<string, unknown>;

/** CKAN's timestamps: naive UTC, microseconds, the fraction left out when it is zero (Python isoformat). */
export function ckanTime(iso: string | Date): string {
  // The stored timestamps are toISOString's text already: cut, not parsed and printed again (two per dict).
  if (typeof iso === 'string' && isIsoTimestamp(iso)) return iso.endsWith('.000Z') ? iso.slice(0, 19) : `${iso.slice(0, 23)}000`;
  const d = typeof iso === 'string' ? new Date(iso) : iso;
  const base = d.toISOString().slice(0, 19);
  const ms = d.getUTCMilliseconds();
  return ms ? `${base}.${String(ms * 1000).padStart(6, '0')}` : base;
}

const ISO_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * Whether a string is what toISOString writes (years 0000–9999) for a real
 * date and time, so that new Date(s).toISOString() is s again. Date would
 * roll 2025-02-30 over into March; such strings take the long way.
 */
function isIsoTimestamp(s: string): boolean {
  if (s.length !== 24 || !ISO_TIMESTAMP.test(s)) return false;
  const two = (i: number) => (s.charCodeAt(i) - 48) * 10 + s.charCodeAt(i + 1) - 48;
  const year = two(0) * 100 + two(2);
  const month = two(5);
  const day = two(8);
  if (month < 1 || month > 12 || day < 1 || two(11) > 23 || two(14) > 59 || two(17) > 59) return false;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return day <= (month === 2 && leap ? 29 : DAYS[month - 1]);
}

/** A UUID derived from a name, for objects CKAN gives ids that we do not store (tags). */
export function stableId(kind: string, name: string): string {
  const h = createHash('sha1').update(`${kind}:${name}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((parseInt(h[16], 16) & 3) | 8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** ckanext-dcatde's keys of an agent: prefix_name, prefix_email, prefix_url, prefix_type, prefix_uri, prefix_contacttype. */
function agentKeys(name: string, email?: string, prefix = name) {
  return {
    name: email ? name : `${prefix}_name`,
    email: email ?? `${prefix}_email`,
    url: `${prefix}_url`,
    type: `${prefix}_type`,
    uri: `${prefix}_uri`,
    contacttype: `${prefix}_contacttype`,
  };
}

/** The package's flat keys; exported for the tests that compare the dicts and their fast paths with the reference. */
export const DATASET_RULES: readonly Rule[] = [
  text('title', 'title'),
  text('description', 'notes'),
  one('versionInfo', 'version'),
  single('landingPage', 'url'),
  agent('creator', agentKeys('author', 'author_email'), true),
  contactPoint,
  agent('publisher', agentKeys('publisher'), false, 'Organization'),
  agent('originator', agentKeys('originator'), true),
  agent('maintainer', agentKeys('maintainer_name', 'maintainer_agent_email', 'maintainer'), true),
  agent('contributor', agentKeys('contributor'), true),
  one('identifier', 'identifier'),
  otherIdentifier,
  one('issued', 'issued'),
  one('modified', 'modified'),
  list('language', 'language'),
  one('accrualPeriodicity', 'frequency'),
  one('accessRights', 'access_rights'),
  list('conformsTo', 'conforms_to'),
  list('page', 'documentation'),
  text('provenance', 'provenance'),
  text('versionNotes', 'version_notes'),
  one('type', 'dcat_type'),
  list('relation', 'used_datasets'),
  list('references', 'references'),
  list('isReferencedBy', 'is_referenced_by'),
  list('hasVersion', 'has_version'),
  list('isVersionOf', 'is_version_of'),
  list('source', 'source'),
  list('sample', 'sample'),
  list('wasGeneratedBy', 'was_generated_by'),
  num('spatialResolutionInMeters', 'spatial_resolution_in_meters'),
  one('temporalResolution', 'temporal_resolution'),
  spatial,
  temporal,
  one('availability', 'availability'),
  list('contributorID', 'contributorID'),
  list('politicalGeocodingURI', 'politicalGeocodingURI'),
  single('politicalGeocodingLevelURI', 'politicalGeocodingLevelURI'),
  textList('geocodingDescription', 'geocodingText'),
  textList('legalBasis', 'legalbasisText'),
  one('qualityProcessURI', 'qualityProcessURI'),
  iriList('inSeries', 'in_series'),
  list('applicableLegislation', 'applicable_legislation'),
  list('hvdCategory', 'hvd_category'),
];

/** dct:format as CKAN's label (CSV), read back as the EU file-type IRI. */
const format: Rule = {
  term: 'format',
  keys: ['format'],
  to: (v): Flat => {
    if (typeof v !== 'string') return {};
    return { format: ckanFormatOf(v) };
  },
  from: (f) => (f.format ? (resolveFormat(f.format)?.iri ?? f.format) : undefined),
  flatten(v, _lang, out) {
    if (typeof v !== 'string') return false;
    const { label, held } = formatLabel(v);
    out.format = label;
    return held;
  },
};

/** A stored format's label and whether `format.from` gives the format back: vocabulary lookups, the same for every dataset. */
const formatLabel = memo((v: string) => {
  const label = ckanFormatOf(v);
  return { label, held: !!label && (resolveFormat(label)?.iri ?? label) === v };
}, 1000);

/** dcat:mediaType as CKAN's mimetype (text/csv), read back as the IANA IRI. */
const mimetype: Rule = {
  term: 'mediaType',
  keys: ['mimetype'],
  to: (v): Flat => (typeof v === 'string' ? { mimetype: mediaTypeOf(v) ?? v } : {}),
  from: (f) => (f.mimetype ? (f.mimetype.includes(':') ? f.mimetype : mediaTypeIri(f.mimetype)) : undefined),
  flatten(v, _lang, out) {
    if (typeof v !== 'string') return false;
    const { label, held } = mimetypeLabel(v);
    out.mimetype = label;
    return held;
  },
};

const mimetypeLabel = memo((v: string) => {
  const label = mediaTypeOf(v) ?? v;
  return { label, held: !!label && (label.includes(':') ? label : mediaTypeIri(label)) === v };
}, 1000);

/** spdx:Checksum as CKAN's hash plus ckanext-dcat's hash_algorithm. */
const checksum: Rule = {
  term: 'checksum',
  keys: ['hash', 'hash_algorithm'],
  to: (v) => {
    const c = v as { algorithm?: string; checksumValue?: string; '@id'?: string };
    return c && !c['@id'] ? Object.fromEntries(Object.entries({ hash: c.checksumValue, hash_algorithm: c.algorithm }).filter((e): e is [string, string] => !!e[1])) : {};
  },
  from: (f) => (f.hash ? { ...(f.hash_algorithm ? { algorithm: f.hash_algorithm } : {}), checksumValue: f.hash } : undefined),
  flatten(v, lang, out) {
    const c = strings(v);
    if (!c) return generic(this, v, lang, out);
    if (c['@id']) return false; // a checksum with an IRI stays whole in json_checksum
    const hash = put(out, 'hash', c.checksumValue);
    const algorithm = put(out, 'hash_algorithm', c.algorithm);
    if (!hash) return false;
    for (const k in c) if (k !== 'checksumValue' && !(k === 'algorithm' && algorithm)) return false;
    return true;
  },
};

export const RESOURCE_RULES: readonly Rule[] = [
  text('title', 'name'),
  text('description', 'description'),
  single('accessURL', 'url'),
  single('downloadURL', 'download_url'),
  one('license', 'license'),
  text('licenseAttributionByText', 'licenseAttributionByText'),
  format,
  mimetype,
  one('compressFormat', 'compress_format'),
  one('packageFormat', 'package_format'),
  num('byteSize', 'size'),
  checksum,
  one('issued', 'issued'),
  one('modified', 'modified'),
  list('language', 'language'),
  list('page', 'documentation'),
  list('conformsTo', 'conforms_to'),
  text('rights', 'rights'),
  one('status', 'status'),
  one('availability', 'availability'),
  one('plannedAvailability', 'plannedAvailability'),
  one('hasPolicy', 'has_policy'),
  num('spatialResolutionInMeters', 'spatial_resolution_in_meters'),
  one('temporalResolution', 'temporal_resolution'),
  list('applicableLegislation', 'applicable_legislation'),
];

/** Package keys that are CKAN columns; every other flat key is an extra. */
export const PACKAGE_CORE = new Set(['title', 'notes', 'url', 'version', 'author', 'author_email', 'maintainer', 'maintainer_email']);
/** Keys of the package dict that are not extras (an extra may not reuse them). */
export const PACKAGE_FIELDS = new Set([
  ...PACKAGE_CORE,
  'id', 'name', 'owner_org', 'organization', 'private', 'state', 'type', 'license_id', 'license_title', 'license_url', 'isopen',
  'metadata_created', 'metadata_modified', 'creator_user_id', 'tags', 'tag_string', 'groups', 'extras', 'resources',
  'num_resources', 'num_tags', 'relationships_as_subject', 'relationships_as_object',
]);
export const DATASET_SKIP = new Set(['@id', '@type', '@context', 'keyword', 'theme', 'distribution', ...META_KEYS]);
const DATASET_TERMS = new Set(Object.keys(DatasetSchema.properties));
export const RESOURCE_SKIP = new Set(['@id', '@type', 'id']);
const RESOURCE_TERMS = new Set(Object.keys(DistributionSchema.properties));

export interface DictContext {
  lang: string;
  organization?: Organization;
  /** creator_user_id: the user who created the dataset, when known. */
  creatorUserId?: string | null;
}

export function organizationDict(org: Organization, extra: Dict = {}): Dict {
  return {
    id: org.id,
    name: org.name,
    title: org.title,
    display_name: org.title || org.name,
    type: 'organization',
    description: org.description,
    image_url: '',
    image_display_url: '',
    created: ckanTime(org.createdAt),
    is_organization: true,
    approval_status: 'approved',
    state: 'active',
    ...extra,
  };
}

/** A data theme's group name (lower-case code) and title in a language. */
function themeGroup(themeIri: string, lang: string): { name: string; title: string } {
  const c = themes.byIri(themeIri);
  const name = (c?.code ?? themeIri).toLowerCase();
  const title = c ? c.label[lang === 'en' ? 'en' : 'de'] : themeIri;
  return { name, title };
}

const themeGroupDe = memo((iri: string) => themeGroup(iri, 'de'), 1000);
const themeGroupEn = memo((iri: string) => themeGroup(iri, 'en'), 1000);

/** A data theme as the CKAN group GovData uses for it (name: lower-case code). */
export function groupDict(themeIri: string, lang: string, extra?: Dict): Dict {
  const { name, title } = (lang === 'en' ? themeGroupEn : themeGroupDe)(themeIri);
  const dict: Dict = { id: name, name, title, display_name: title, description: '', image_display_url: '', type: 'group', is_organization: false, state: 'active' };
  return extra ? Object.assign(dict, extra) : dict;
}

/**
 * The CKAN license_id of a licence: its dcat-ap.de id (dl-by-de/2.0), the
 * register GovData's CKAN uses. Input may also name it by its full IRI or by
 * the opendefinition-style id older portals use (dl-de-by-2.0); an unknown
 * value is passed on unchanged.
 */
export function ckanLicenseIdOf(value: string): string {
  return licenses.resolve(value)?.code ?? value;
}

/** The CKAN format name of a stored format (EU code or IRI); unknown values unchanged. */
export function ckanFormatOf(value: string): string {
  const ft = fileTypes.byIri(value) ?? fileTypes.byCode(value);
  return ft ? ckanFormatName(ft) : value;
}

type LicenseFields = { license_id: string | null; license_title: string | null; license_url?: string; isopen: boolean };

export function licenseDict(iri: string | undefined): LicenseFields {
  if (!iri) return { license_id: null, license_title: null, isopen: false };
  const l = licenses.resolve(iri);
  if (!l) return { license_id: iri, license_title: iri, isopen: false };
  return { license_id: l.code, license_title: l.label.de, ...(l.url ? { license_url: l.url } : {}), isopen: l.open };
}

/** licenseDict of a licence IRI, looked up once; callers copy the fields, never hand the object out. */
const licenseFields = memo(licenseDict, 1000);

const flatDataset = flattener(DATASET_RULES, DATASET_SKIP);
const flatResource = flattener(RESOURCE_RULES, RESOURCE_SKIP);
/** Flat keys with a place of their own in the resource dict; the others follow it in their order. */
const RESOURCE_PLACED = new Set(['url', 'name', 'description', 'format', 'mimetype', 'size', 'hash']);

/** A flat value, or `otherwise` when the flattening gave none (as a destructuring default). */
const or = <T>(v: string | undefined, otherwise: T): string | T => (v === undefined ? otherwise : v);

export function resourceDict(dist: Dict, position: number, datasetId: string, lang: string): Dict {
  const flat = flatResource(dist, lang);
  const size = flat.size;
  const dict: Dict = {
    id: dist.id,
    package_id: datasetId,
    url: or(flat.url, ''),
    name: or(flat.name, null),
    description: or(flat.description, null),
    format: or(flat.format, ''),
    mimetype: or(flat.mimetype, null),
    mimetype_inner: null,
    size: size !== undefined && Number.isFinite(Number(size)) ? Number(size) : (size ?? null),
    hash: or(flat.hash, ''),
    created: typeof dist.issued === 'string' ? dist.issued : null,
    last_modified: typeof dist.modified === 'string' ? dist.modified : null,
    metadata_modified: null,
    cache_url: null,
    cache_last_updated: null,
    resource_type: null,
    url_type: null,
    position,
    state: 'active',
  };
  if (typeof dist['@id'] === 'string') dict.uri = dist['@id'];
  for (const k in flat) if (!RESOURCE_PLACED.has(k)) dict[k] = flat[k];
  return dict;
}

/** A tag's id: a sha1 of its name, and names repeat across datasets. */
const tagId = memo((name: string) => stableId('tag', name));

type Extra = { key: string; value: string };
const byKey = (a: Extra, b: Extra) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
const byDisplayName = (a: Dict, b: Dict) => String(a.display_name).localeCompare(String(b.display_name));

/** The package dict CKAN clients read. */
export function packageDict(stored: StoredDataset, ctx: DictContext): Dict {
  const doc = stored.doc as unknown as Dict;
  const { lang } = ctx;
  const flat = flatDataset(doc, lang);
  const extras: Extra[] = [];
  for (const k in flat) if (!PACKAGE_CORE.has(k)) extras.push({ key: k, value: flat[k] });
  extras.push({ key: 'uri', value: stored.uri });
  // Keywords in other languages and themes outside the EU table cannot be tags and groups: keep them as JSON.
  const kw = doc.keyword as Record<string, string[]> | string[] | undefined;
  const tagNames = kw ? (Array.isArray(kw) ? kw : (kw[lang] ?? [])) : [];
  if (kw && !Array.isArray(kw) && Object.keys(kw).some((l) => l !== lang)) extras.push({ key: 'json_keyword', value: JSON.stringify(kw) });
  const themeIris = (doc.theme as string[] | undefined) ?? [];
  extras.sort(byKey);

  const dists = (doc.distribution as Dict[] | undefined) ?? [];
  const resources = dists.map((d, i) => resourceDict(d, i, stored.id, lang));
  const tags = [...new Set(tagNames)].sort().map((name) => ({ id: tagId(name), name, display_name: name, state: 'active', vocabulary_id: null }));
  const groups = themeIris.map((t) => groupDict(t, lang)).sort(byDisplayName);
  return {
    id: stored.id,
    name: stored.name,
    title: flat.title ?? stored.name,
    notes: flat.notes ?? null,
    url: flat.url ?? null,
    version: flat.version ?? null,
    author: flat.author ?? null,
    author_email: flat.author_email ?? null,
    maintainer: flat.maintainer ?? null,
    maintainer_email: flat.maintainer_email ?? null,
    ...licenseFields(dists.find((d) => typeof d.license === 'string')?.license as string | undefined),
    owner_org: stored.organizationId,
    organization: ctx.organization ? organizationDict(ctx.organization) : null,
    private: stored.private,
    state: stored.state,
    type: 'dataset',
    creator_user_id: ctx.creatorUserId ?? null,
    metadata_created: ckanTime(stored.metadataCreated),
    metadata_modified: ckanTime(stored.metadataModified),
    tags,
    num_tags: tags.length,
    groups,
    extras,
    resources,
    num_resources: resources.length,
    relationships_as_subject: [],
    relationships_as_object: [],
  };
}

/** Values CKAN clients send as numbers or booleans are strings in a flat map. */
function flatOf(obj: Dict, skip: ReadonlySet<string>): Flat {
  const out: Flat = {};
  for (const [k, v] of Object.entries(obj)) {
    if (skip.has(k) || v === null || v === undefined) continue;
    if (typeof v === 'string') out[k] = v;
    else if (typeof v === 'number' || typeof v === 'boolean') out[k] = String(v);
  }
  return out;
}

const RESOURCE_DICT_ONLY = new Set(['id', 'package_id', 'position', 'state', 'created', 'last_modified', 'metadata_modified', 'cache_url', 'cache_last_updated', 'mimetype_inner', 'resource_type', 'url_type', 'uri']);

/** A resource dict as a distribution of the model; `licenseDefault` is the package's license_id. */
export function resourceToDistribution(res: Dict, lang: string, licenseDefault?: string): Dict {
  const flat = flatOf(res, RESOURCE_DICT_ONLY);
  if (!flat.issued && typeof res.created === 'string' && res.created) flat.issued = res.created;
  if (!flat.modified && typeof res.last_modified === 'string' && res.last_modified) flat.modified = res.last_modified;
  const dist = fromFlat(flat, RESOURCE_RULES, lang, RESOURCE_TERMS);
  if (typeof res.id === 'string' && res.id) dist.id = res.id;
  if (typeof res.uri === 'string' && res.uri) dist['@id'] = res.uri;
  if (dist.license === undefined && licenseDefault) dist.license = licenseDefault;
  if (typeof dist.format !== 'string' && Array.isArray(dist.accessURL)) {
    // CKAN guesses the format from the URL's extension when none is given.
    const ext = /\.([a-z0-9]+)(?:[?#].*)?$/i.exec(String(dist.accessURL[0]))?.[1];
    const guess = ext ? resolveFormat(ext) : undefined;
    if (guess) dist.format = guess.iri;
  }
  return dist;
}

/** The `json_<term>` backups that fields in `keys` override (package_patch changes those fields). */
export function shadowedFallbacks(keys: readonly string[]): Set<string> {
  const given = new Set(keys);
  const out = new Set<string>();
  for (const r of DATASET_RULES) if (r.keys.some((k) => given.has(k))) out.add(FALLBACK_PREFIX + r.term);
  if (given.has('tags')) out.add(`${FALLBACK_PREFIX}keyword`);
  if (given.has('groups')) out.add(`${FALLBACK_PREFIX}theme`);
  return out;
}

export interface PackageInput {
  doc: DatasetInput;
  /** Keys the client gave, so updates know what to keep (resources) and what to clear. */
  has: { resources: boolean };
}

const asArray = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/** A package dict (create/update input) as a model document for the catalog. */
export function packageToDataset(pkg: Dict, lang: string): PackageInput {
  const extras: Flat = {};
  for (const e of asArray(pkg.extras)) {
    const x = e as { key?: unknown; value?: unknown };
    if (typeof x.key === 'string' && x.value !== undefined && x.value !== null) extras[x.key] = typeof x.value === 'string' ? x.value : JSON.stringify(x.value);
  }
  const flat: Flat = { ...extras, ...flatOf(pkg, new Set([...PACKAGE_FIELDS].filter((k) => !PACKAGE_CORE.has(k)))) };
  if (!flat.title && typeof pkg.name === 'string') flat.title = pkg.name;
  const doc: DatasetInput = fromFlat(flat, DATASET_RULES, lang, DATASET_TERMS);

  const tags = [
    ...asArray(pkg.tags).map((t) => (typeof t === 'string' ? t : (t as { name?: unknown }).name)),
    ...(typeof pkg.tag_string === 'string' ? pkg.tag_string.split(',') : []),
  ]
    .filter((t): t is string => typeof t === 'string' && t.trim() !== '')
    .map((t) => t.trim());
  if (extras.json_keyword === undefined && tags.length) doc.keyword = { [lang]: [...new Set(tags)] };

  const themeRefs = asArray(pkg.groups).map((g) => (typeof g === 'string' ? g : ((g as { name?: unknown; id?: unknown }).name ?? (g as { id?: unknown }).id)));
  const themeIris = themeRefs.filter((g): g is string => typeof g === 'string').map((g) => themes.resolve(g)?.iri ?? g);
  for (const t of parseJsonList(extras.theme)) if (!themeIris.includes(t)) themeIris.push(themes.resolve(t)?.iri ?? t);
  if (themeIris.length && extras.json_theme === undefined) doc.theme = themeIris;

  if (typeof extras.uri === 'string' && extras.uri) doc['@id'] = extras.uri;
  if (typeof pkg.name === 'string') doc.name = pkg.name;
  if (typeof pkg.owner_org === 'string') doc.organization = pkg.owner_org;
  if (pkg.private !== undefined) doc.private = pkg.private === true || (typeof pkg.private === 'string' && /^(true|yes|t|y|1|on)$/i.test(pkg.private));

  const licenseDefault = typeof pkg.license_id === 'string' && pkg.license_id ? (licenses.resolve(pkg.license_id)?.iri ?? pkg.license_id) : undefined;
  const has = { resources: Array.isArray(pkg.resources) };
  if (has.resources) doc.distribution = asArray(pkg.resources).map((r) => resourceToDistribution(r as Dict, lang, licenseDefault));
  return { doc, has };
}

function parseJsonList(s: string | undefined): string[] {
  if (!s) return [];
  try {
    const v: unknown = JSON.parse(s);
    return Array.isArray(v) ? v.map(String) : [String(v)];
  } catch {
    return s.split(',').map((x) => x.trim()).filter(Boolean);
  }
}
