import { createHash } from 'node:crypto';
import type { StoredDataset } from '../../src/catalog/datasets.js';
import type { Organization } from '../../src/catalog/organizations.js';
import { licenses, themes } from '../../src/domain/vocab/index.js';
import { toFlat } from '../../src/ckan/extras.js';
import { DATASET_RULES, DATASET_SKIP, PACKAGE_CORE, RESOURCE_RULES, RESOURCE_SKIP, type Dict } from '../../src/ckan/package.js';

/**
 * The package and resource dicts as src/ckan/package.ts built them before
 * its fast paths (commit 331109f), kept as the reference the tests compare
 * every answer with, byte for byte. The flattening is the rules' own
 * definition (`toFlat`: each rule's `to`, read back by its `from`). A
 * deliberate change of the dicts changes this file too.
 */

export function oracleCkanTime(iso: string | Date): string {
  const d = typeof iso === 'string' ? new Date(iso) : iso;
  const base = d.toISOString().slice(0, 19);
  const ms = d.getUTCMilliseconds();
  return ms ? `${base}.${String(ms * 1000).padStart(6, '0')}` : base;
}

function stableId(kind: string, name: string): string {
  const h = createHash('sha1').update(`${kind}:${name}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((parseInt(h[16], 16) & 3) | 8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

function organizationDict(org: Organization, extra: Dict = {}): Dict {
  return {
    id: org.id,
    name: org.name,
    title: org.title,
    display_name: org.title || org.name,
    type: 'organization',
    description: org.description,
    image_url: '',
    image_display_url: '',
    created: oracleCkanTime(org.createdAt),
    is_organization: true,
    approval_status: 'approved',
    state: 'active',
    ...extra,
  };
}

function groupDict(themeIri: string, lang: string, extra: Dict = {}): Dict {
  const c = themes.byIri(themeIri);
  const name = (c?.code ?? themeIri).toLowerCase();
  const title = c ? c.label[lang === 'en' ? 'en' : 'de'] : themeIri;
  return { id: name, name, title, display_name: title, description: '', image_display_url: '', type: 'group', is_organization: false, state: 'active', ...extra };
}

function licenseDict(iri: string | undefined): { license_id: string | null; license_title: string | null; license_url?: string; isopen: boolean } {
  if (!iri) return { license_id: null, license_title: null, isopen: false };
  const l = licenses.resolve(iri);
  if (!l) return { license_id: iri, license_title: iri, isopen: false };
  return { license_id: l.code, license_title: l.label.de, ...(l.url ? { license_url: l.url } : {}), isopen: l.open };
}

export function oracleResourceDict(dist: Dict, position: number, datasetId: string, lang: string): Dict {
  const flat = toFlat(dist, RESOURCE_RULES, lang, RESOURCE_SKIP);
  const { url = '', name = null, description = null, format: fmt = '', mimetype: mt = null, size, hash = '', ...rest } = flat;
  return {
    id: dist.id,
    package_id: datasetId,
    url,
    name,
    description,
    format: fmt,
    mimetype: mt,
    mimetype_inner: null,
    size: size !== undefined && Number.isFinite(Number(size)) ? Number(size) : (size ?? null),
    hash,
    created: typeof dist.issued === 'string' ? dist.issued : null,
    last_modified: typeof dist.modified === 'string' ? dist.modified : null,
    metadata_modified: null,
    cache_url: null,
    cache_last_updated: null,
    resource_type: null,
    url_type: null,
    position,
    state: 'active',
    ...(typeof dist['@id'] === 'string' ? { uri: dist['@id'] } : {}),
    ...rest,
  };
}

export function oraclePackageDict(stored: StoredDataset, ctx: { lang: string; organization?: Organization; creatorUserId?: string | null }): Dict {
  const doc = stored.doc as unknown as Dict;
  const { lang } = ctx;
  const flat = toFlat(doc, DATASET_RULES, lang, DATASET_SKIP);
  const core: Dict = {};
  const extras: { key: string; value: string }[] = [];
  for (const [k, v] of Object.entries(flat)) {
    if (PACKAGE_CORE.has(k)) core[k] = v;
    else extras.push({ key: k, value: v });
  }
  extras.push({ key: 'uri', value: stored.uri });
  const kw = doc.keyword as Record<string, string[]> | string[] | undefined;
  const tagNames = kw ? (Array.isArray(kw) ? kw : (kw[lang] ?? [])) : [];
  if (kw && !Array.isArray(kw) && Object.keys(kw).some((l) => l !== lang)) extras.push({ key: 'json_keyword', value: JSON.stringify(kw) });
  const themeIris = (doc.theme as string[] | undefined) ?? [];
  extras.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));

  const dists = (doc.distribution as Dict[] | undefined) ?? [];
  const resources = dists.map((d, i) => oracleResourceDict(d, i, stored.id, lang));
  const tags = [...new Set(tagNames)].sort().map((name) => ({ id: stableId('tag', name), name, display_name: name, state: 'active', vocabulary_id: null }));
  const groups = themeIris.map((t) => groupDict(t, lang)).sort((a, b) => String(a.display_name).localeCompare(String(b.display_name)));
  return {
    id: stored.id,
    name: stored.name,
    title: core.title ?? stored.name,
    notes: core.notes ?? null,
    url: core.url ?? null,
    version: core.version ?? null,
    author: core.author ?? null,
    author_email: core.author_email ?? null,
    maintainer: core.maintainer ?? null,
    maintainer_email: core.maintainer_email ?? null,
    ...licenseDict(dists.find((d) => typeof d.license === 'string')?.license as string | undefined),
    owner_org: stored.organizationId,
    organization: ctx.organization ? organizationDict(ctx.organization) : null,
    private: stored.private,
    state: stored.state,
    type: 'dataset',
    creator_user_id: ctx.creatorUserId ?? null,
    metadata_created: oracleCkanTime(stored.metadataCreated),
    metadata_modified: oracleCkanTime(stored.metadataModified),
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
