import { availableParallelism } from 'node:os';
import { isAbsolute, resolve } from 'node:path';

/** The service configuration, read once from the environment and validated. */
export interface Config {
  port: number;
  host: string;
  /** postgres:// URL; undefined means the embedded PGlite in dataDir. */
  databaseUrl?: string;
  dataDir: string;
  publicUrl: string;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  bodyLimit: number;
  /** Bytes of list answers kept per dataset version (REST documents, CKAN package dicts); 0 keeps none. */
  answerCacheBytes: number;
  bootstrapAdminToken?: string;
  catalog: CatalogMetadata;
  harvest: HarvestConfig;
  dcat: DcatEndpointConfig;
}

/** The DCAT-AP.de catalog endpoints (/catalog, /dataset/{id}). */
export interface DcatEndpointConfig {
  /** Datasets per catalog page (ckanext-dcat: 100). */
  pageSize: number;
  /** Output profile when a request names none. */
  profile: 'dcat-ap-de-2' | 'dcat-ap-de-3';
  /** Worker threads that write catalog pages (0: the main thread writes them). */
  renderThreads: number;
}

/** Limits and policy for outbound harvest requests. */
export interface HarvestConfig {
  /** Allow loopback/private/link-local targets (on-premise sources, tests). */
  allowPrivateNetworks: boolean;
  /** Total time for one request, connect to last byte. */
  timeoutMs: number;
  /** Largest response body accepted, counted after decompression. */
  maxBytes: number;
  /** Most pages one run may fetch from a source; more means the run is incomplete. */
  maxPages: number;
  /** Sent on every harvest request; default "<catalog title> harvester (+<publicUrl>)", ASCII only. */
  userAgent: string;
  /** Run queued harvest jobs inside the service (else only in `catalog worker` processes). */
  worker: boolean;
}

export interface CatalogMetadata {
  title: string;
  description: string;
  publisherName: string;
  publisherUri: string;
  homepage: string;
  /** BCP 47 code of the catalog's main language, e.g. "de". */
  language: string;
  contributorId: string;
  /** dct:license of the catalog's own metadata. */
  license: string;
}

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(`Invalid configuration: ${variable} ${message}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

function bool(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name]?.trim().toLowerCase();
  if (raw === undefined || raw === '') return fallback;
  if (raw === 'true' || raw === '1') return true;
  if (raw === 'false' || raw === '0') return false;
  throw new ConfigError(name, `must be true or false, got "${env[name]}"`);
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

function str(env: Env, name: string, fallback: string): string {
  const v = env[name];
  return v === undefined || v.trim() === '' ? fallback : v.trim();
}

function int(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  if (!/^\d+$/.test(raw.trim())) throw new ConfigError(name, `must be a whole number, got "${raw}"`);
  const n = Number(raw);
  if (n < min || n > max) throw new ConfigError(name, `must be between ${min} and ${max}, got ${n}`);
  return n;
}

function url(env: Env, name: string, fallback: string | undefined, protocols: string[]): string | undefined {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  let parsed: URL;
  try {
    parsed = new URL(raw.trim());
  } catch {
    throw new ConfigError(name, `must be a URL, got "${raw}"`);
  }
  if (!protocols.includes(parsed.protocol)) {
    throw new ConfigError(name, `must be a ${protocols.map((p) => p.replace(':', '')).join(' or ')} URL, got "${parsed.protocol}"`);
  }
  return raw.trim();
}

/** Header values must be Latin-1 without controls; a catalog title may hold umlauts or more, so fold to ASCII. */
function headerSafe(value: string): string {
  return value.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').replace(/[^\x20-\x7e]/g, '_');
}

/** Reads and validates the configuration; throws ConfigError naming the first bad variable. */
export function loadConfig(env: Env = process.env): Config {
  const port = int(env, 'PORT', 3000, 0, 65535);
  const host = str(env, 'HOST', '127.0.0.1');
  const databaseUrl = url(env, 'DATABASE_URL', undefined, ['postgres:', 'postgresql:']);
  const dataDirRaw = str(env, 'DATA_DIR', './data');
  const dataDir = isAbsolute(dataDirRaw) ? dataDirRaw : resolve(process.cwd(), dataDirRaw);
  const publicUrl = (url(env, 'PUBLIC_URL', `http://localhost:${port}`, ['http:', 'https:']) as string).replace(/\/+$/, '');
  const logLevel = str(env, 'LOG_LEVEL', 'info') as Config['logLevel'];
  if (!LOG_LEVELS.includes(logLevel)) throw new ConfigError('LOG_LEVEL', `must be one of ${LOG_LEVELS.join(', ')}, got "${logLevel}"`);
  const bodyLimit = int(env, 'BODY_LIMIT', 1024 * 1024, 1024, 100 * 1024 * 1024);
  const answerCacheBytes = int(env, 'ANSWER_CACHE_MB', 64, 0, 64 * 1024) * 1024 * 1024;
  const bootstrapAdminToken = env.BOOTSTRAP_ADMIN_TOKEN?.trim() || undefined;
  if (bootstrapAdminToken !== undefined && bootstrapAdminToken.length < 32) {
    throw new ConfigError('BOOTSTRAP_ADMIN_TOKEN', 'must be at least 32 characters long');
  }
  const language = str(env, 'CATALOG_LANGUAGE', 'de');
  if (!/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/.test(language)) throw new ConfigError('CATALOG_LANGUAGE', `must be a BCP 47 language code, got "${language}"`);
  const contributorId = url(env, 'CATALOG_CONTRIBUTOR_ID', 'http://dcat-ap.de/def/contributors/openNRW', ['http:', 'https:']) as string;
  const catalog: CatalogMetadata = {
    title: str(env, 'CATALOG_TITLE', 'Open-Data-Katalog Smart Region Kreis Unna'),
    description: str(
      env,
      'CATALOG_DESCRIPTION',
      'Offene Daten des Kreises Unna und seiner Städte und Gemeinden Bergkamen, Bönen, Fröndenberg/Ruhr, Holzwickede, Kamen, Lünen, Schwerte, Selm, Unna und Werne.',
    ),
    publisherName: str(env, 'CATALOG_PUBLISHER_NAME', 'Kreis Unna'),
    publisherUri: url(env, 'CATALOG_PUBLISHER_URI', `${publicUrl}/organization/kreis-unna`, ['http:', 'https:']) as string,
    homepage: url(env, 'CATALOG_HOMEPAGE', 'https://www.kreis-unna.de', ['http:', 'https:']) as string,
    language,
    contributorId,
    license: url(env, 'CATALOG_LICENSE', 'http://dcat-ap.de/def/licenses/dl-zero-de/2.0', ['http:', 'https:']) as string,
  };
  const harvest: HarvestConfig = {
    allowPrivateNetworks: bool(env, 'HARVEST_ALLOW_PRIVATE_NETWORKS', false),
    timeoutMs: int(env, 'HARVEST_TIMEOUT_MS', 60_000, 100, 3_600_000),
    maxBytes: int(env, 'HARVEST_MAX_BYTES', 50 * 1024 * 1024, 1024, 2 * 1024 * 1024 * 1024),
    maxPages: int(env, 'HARVEST_MAX_PAGES', 1000, 1, 1_000_000),
    userAgent: headerSafe(str(env, 'HARVEST_USER_AGENT', `${catalog.title} harvester (+${publicUrl})`)),
    worker: bool(env, 'HARVEST_WORKER', true),
  };
  const profile = str(env, 'CATALOG_PROFILE', 'dcat-ap-de-2');
  if (profile !== 'dcat-ap-de-2' && profile !== 'dcat-ap-de-3') throw new ConfigError('CATALOG_PROFILE', `must be dcat-ap-de-2 or dcat-ap-de-3, got "${profile}"`);
  const dcat: DcatEndpointConfig = {
    pageSize: int(env, 'CATALOG_PAGE_SIZE', 100, 1, 1000),
    profile,
    // One core is left to the main thread (requests, database reads).
    renderThreads: int(env, 'CATALOG_RENDER_THREADS', Math.min(4, Math.max(1, availableParallelism() - 1)), 0, 16),
  };
  return { port, host, databaseUrl, dataDir, publicUrl, logLevel, bodyLimit, answerCacheBytes, bootstrapAdminToken, catalog, harvest, dcat };
}
