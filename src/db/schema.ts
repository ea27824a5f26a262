import { sql } from 'drizzle-orm';
import {
  bigserial,
  boolean,
  customType,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import type { Dataset } from '../domain/model.js';

const tsvector = customType<{ data: string }>({ dataType: () => 'tsvector' });
const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

export const organizations = pgTable('organizations', {
  id: uuid('id').primaryKey().defaultRandom(),
  name: text('name').notNull().unique(),
  title: text('title').notNull(),
  description: text('description').notNull().default(''),
  /** Amtlicher Gemeindeschlüssel or district key. */
  ags: text('ags'),
  politicalGeocodingUri: text('political_geocoding_uri'),
  politicalGeocodingLevelUri: text('political_geocoding_level_uri'),
  homepage: text('homepage'),
  email: text('email'),
  createdAt: ts('created_at').notNull().defaultNow(),
  updatedAt: ts('updated_at').notNull().defaultNow(),
});

export const users = pgTable('users', {
  id: uuid('id').primaryKey().defaultRandom(),
  name: text('name').notNull().unique(),
  email: text('email'),
  fullname: text('fullname'),
  sysadmin: boolean('sysadmin').notNull().default(false),
  createdAt: ts('created_at').notNull().defaultNow(),
});

export const ROLES = ['member', 'editor', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export const memberships = pgTable(
  'memberships',
  {
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    organizationId: uuid('organization_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    role: text('role', { enum: ROLES }).notNull(),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.organizationId] }), index('memberships_org_idx').on(t.organizationId)],
);

export const apiTokens = pgTable(
  'api_tokens',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    label: text('label').notNull(),
    /** SHA-256 of the token; the token itself is shown once and never stored. */
    tokenHash: text('token_hash').notNull().unique(),
    createdAt: ts('created_at').notNull().defaultNow(),
    lastUsedAt: ts('last_used_at'),
    revokedAt: ts('revoked_at'),
  },
  (t) => [index('api_tokens_user_idx').on(t.userId)],
);

/**
 * One row of truth per dataset: `doc` is the whole DCAT-AP.de document; the
 * other columns are derived from it on every write, for search, filters,
 * sorting and facets.
 */
/** GIN indexes merge their pending list every ~64 kB of new entries (migration 0007 says why). */
const GIN = { gin_pending_list_limit: 64 };

export const datasets = pgTable(
  'datasets',
  {
    id: uuid('id').primaryKey(),
    name: text('name').notNull().unique(),
    uri: text('uri').notNull().unique(),
    identifier: text('identifier'),
    organizationId: uuid('organization_id')
      .notNull()
      .references(() => organizations.id),
    private: boolean('private').notNull().default(false),
    state: text('state', { enum: ['active', 'draft', 'deleted'] }).notNull().default('active'),
    revision: integer('revision').notNull().default(1),
    title: text('title').notNull(),
    description: text('description').notNull().default(''),
    /** Space-joined keywords, only as input of the search vector. */
    keywordText: text('keyword_text').notNull().default(''),
    keywords: text('keywords').array().notNull().default(sql`'{}'::text[]`),
    themes: text('themes').array().notNull().default(sql`'{}'::text[]`),
    licenses: text('licenses').array().notNull().default(sql`'{}'::text[]`),
    formats: text('formats').array().notNull().default(sql`'{}'::text[]`),
    geocoding: text('geocoding').array().notNull().default(sql`'{}'::text[]`),
    issued: text('issued'),
    modified: text('modified'),
    metadataCreated: ts('metadata_created').notNull().defaultNow(),
    metadataModified: ts('metadata_modified').notNull().defaultNow(),
    doc: jsonb('doc').$type<Dataset>().notNull(),
    search: tsvector('search')
      .notNull()
      .generatedAlwaysAs(
        sql`setweight(to_tsvector('german'::regconfig, coalesce("title", '')), 'A') || setweight(to_tsvector('german'::regconfig, coalesce("keyword_text", '')), 'B') || setweight(to_tsvector('german'::regconfig, coalesce("description", '')), 'C')`,
      ),
  },
  (t) => [
    index('datasets_search_idx').using('gin', t.search).with(GIN),
    index('datasets_org_idx').on(t.organizationId),
    index('datasets_modified_idx').on(t.metadataModified, t.id),
    index('datasets_title_idx').on(t.title, t.id),
    index('datasets_identifier_idx').on(t.identifier),
    index('datasets_keywords_idx').using('gin', t.keywords).with(GIN),
    index('datasets_themes_idx').using('gin', t.themes).with(GIN),
    index('datasets_licenses_idx').using('gin', t.licenses).with(GIN),
    index('datasets_formats_idx').using('gin', t.formats).with(GIN),
    index('datasets_geocoding_idx').using('gin', t.geocoding).with(GIN),
  ],
);

/**
 * Search totals and facet counts kept by statement triggers on datasets, in
 * the writing transaction (see the facet_counts migration): per visibility key
 * (organization, private, state), per filter (filter_field '' is the whole
 * catalog, else one theme/format/licence value) and per facet value (field '#'
 * is the number of datasets). Searches whose filter it covers sum a few rows
 * instead of reading every match (src/catalog/facet-counts.ts).
 */
export const facetCounts = pgTable(
  'facet_counts',
  {
    filterField: text('filter_field').notNull(),
    filterValue: text('filter_value').notNull(),
    field: text('field').notNull(),
    value: text('value').notNull(),
    organizationId: uuid('organization_id').notNull(),
    private: boolean('private').notNull(),
    state: text('state').notNull(),
    n: integer('n').notNull(),
  },
  (t) => [primaryKey({ name: 'facet_counts_pk', columns: [t.filterField, t.filterValue, t.field, t.value, t.organizationId, t.private, t.state] })],
);

/** Lookup rows for distributions (CKAN resources); their content lives in datasets.doc. */
export const distributions = pgTable(
  'distributions',
  {
    id: uuid('id').primaryKey(),
    datasetId: uuid('dataset_id')
      .notNull()
      .references(() => datasets.id, { onDelete: 'cascade' }),
    position: integer('position').notNull(),
    uri: text('uri'),
    format: text('format'),
    license: text('license'),
  },
  (t) => [uniqueIndex('distributions_dataset_pos_idx').on(t.datasetId, t.position)],
);

/** Every change to a dataset, with the whole document as it was after the change. */
export const revisions = pgTable(
  'revisions',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    datasetId: uuid('dataset_id').notNull(),
    revision: integer('revision').notNull(),
    action: text('action', { enum: ['create', 'update', 'patch', 'withdraw', 'restore'] }).notNull(),
    face: text('face').notNull(),
    userId: uuid('user_id'),
    userName: text('user_name'),
    tokenLabel: text('token_label'),
    harvestJobId: uuid('harvest_job_id'),
    doc: jsonb('doc').$type<Dataset>().notNull(),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [uniqueIndex('revisions_dataset_rev_idx').on(t.datasetId, t.revision)],
);

/** Acts that are not dataset revisions but must be traceable (purges, role changes). */
export const auditLog = pgTable(
  'audit_log',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    at: ts('at').notNull().defaultNow(),
    userId: uuid('user_id'),
    userName: text('user_name'),
    action: text('action').notNull(),
    targetType: text('target_type').notNull(),
    targetId: text('target_id').notNull(),
    details: jsonb('details').$type<Record<string, unknown>>().notNull().default({}),
  },
  (t) => [index('audit_log_target_idx').on(t.targetType, t.targetId)],
);

export const HARVEST_SOURCE_TYPES = ['ckan', 'dcat'] as const;
export type HarvestSourceType = (typeof HARVEST_SOURCE_TYPES)[number];
export const HARVEST_JOB_STATUSES = ['queued', 'running', 'finished', 'failed'] as const;
export type HarvestJobStatus = (typeof HARVEST_JOB_STATUSES)[number];

/** A portal or endpoint an organization's datasets are pulled from. */
export const harvestSources = pgTable(
  'harvest_sources',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    organizationId: uuid('organization_id')
      .notNull()
      .references(() => organizations.id),
    name: text('name').notNull().unique(),
    title: text('title').notNull(),
    type: text('type', { enum: HARVEST_SOURCE_TYPES }).notNull(),
    url: text('url').notNull(),
    /** A cron expression, or 'manual' for sources that only run when asked. */
    schedule: text('schedule').notNull().default('manual'),
    config: jsonb('config').$type<Record<string, unknown>>().notNull().default({}),
    enabled: boolean('enabled').notNull().default(true),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [index('harvest_sources_org_idx').on(t.organizationId)],
);

export interface HarvestLogEntry {
  at: string;
  level: 'info' | 'warn' | 'error';
  msg: string;
}

/** One run of a source: its status, what it did and what went wrong. */
export const harvestJobs = pgTable(
  'harvest_jobs',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    sourceId: uuid('source_id')
      .notNull()
      .references(() => harvestSources.id, { onDelete: 'cascade' }),
    status: text('status', { enum: HARVEST_JOB_STATUSES }).notNull().default('queued'),
    /** How it was started: api, ckan, cli, schedule. */
    trigger: text('trigger').notNull().default('api'),
    userId: uuid('user_id'),
    incremental: boolean('incremental').notNull().default(false),
    /** True when every page of the source was read; only then are vanished records withdrawn. */
    complete: boolean('complete').notNull().default(false),
    pages: integer('pages').notNull().default(0),
    records: integer('records').notNull().default(0),
    created: integer('created').notNull().default(0),
    updated: integer('updated').notNull().default(0),
    unchanged: integer('unchanged').notNull().default(0),
    withdrawn: integer('withdrawn').notNull().default(0),
    failed: integer('failed').notNull().default(0),
    conflicts: integer('conflicts').notNull().default(0),
    createdAt: ts('created_at').notNull().defaultNow(),
    startedAt: ts('started_at'),
    finishedAt: ts('finished_at'),
    /** Milliseconds spent per phase (fetch, write, withdraw, total). */
    timings: jsonb('timings').$type<Record<string, number>>().notNull().default({}),
    log: jsonb('log').$type<HarvestLogEntry[]>().notNull().default([]),
    error: text('error'),
  },
  (t) => [index('harvest_jobs_source_idx').on(t.sourceId, t.createdAt)],
);

/** A record a job skipped (mapping, validation, conflict), with its ids and the reasons. */
export const harvestRecordErrors = pgTable(
  'harvest_record_errors',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    jobId: uuid('job_id')
      .notNull()
      .references(() => harvestJobs.id, { onDelete: 'cascade' }),
    kind: text('kind', { enum: ['mapping', 'validation', 'conflict', 'write'] }).notNull(),
    sourceRecordId: text('source_record_id'),
    uri: text('uri'),
    identifier: text('identifier'),
    reasons: jsonb('reasons').$type<string[]>().notNull().default([]),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [index('harvest_record_errors_job_idx').on(t.jobId)],
);

/** Which dataset came from which source under which source id, and the hash of what was harvested last. */
export const harvestRecords = pgTable(
  'harvest_records',
  {
    sourceId: uuid('source_id')
      .notNull()
      .references(() => harvestSources.id, { onDelete: 'cascade' }),
    sourceRecordId: text('source_record_id').notNull(),
    datasetId: uuid('dataset_id')
      .notNull()
      .references(() => datasets.id, { onDelete: 'cascade' }),
    contentHash: text('content_hash').notNull(),
    /** The source's own modification stamp (CKAN metadata_modified, dct:modified). */
    sourceModified: text('source_modified'),
    lastJobId: uuid('last_job_id'),
    harvestedAt: ts('harvested_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.sourceId, t.sourceRecordId] }), uniqueIndex('harvest_records_dataset_idx').on(t.datasetId)],
);

/**
 * The pages a source's last runs read, by URL: the digest of the body, the records it
 * listed and where it pointed next. A page whose body is the same again, under the same
 * source settings, with every record of it harvested and current, is not parsed again.
 */
export const harvestPages = pgTable(
  'harvest_pages',
  {
    sourceId: uuid('source_id')
      .notNull()
      .references(() => harvestSources.id, { onDelete: 'cascade' }),
    url: text('url').notNull(),
    /** SHA-256 of the body as fetched. */
    digest: text('digest').notNull(),
    /** SHA-256 of the source's settings when the page was read. */
    settingsHash: text('settings_hash').notNull(),
    nextUrl: text('next_url'),
    total: integer('total'),
    recordIds: text('record_ids').array().notNull(),
    jobId: uuid('job_id').notNull(),
  },
  (t) => [primaryKey({ columns: [t.sourceId, t.url] })],
);
