import { inArray, sql } from 'drizzle-orm';
import type { Actor } from '../auth/actor.js';
import { rowsOf, type Tx } from '../db/client.js';
import { auditLog, datasets } from '../db/schema.js';
import type { SearchQuery, SearchResult } from './query.js';
import { searchDatasets } from './search.js';

/**
 * The catalog export's view of a dataset: what the RDF needs and no more.
 * A page of the export is 100 documents; reading only these columns (no
 * search vector, no derived title/keyword/array columns) and skipping the
 * key re-sort of the REST document (the mapping walks the schema, not the
 * keys) is most of what a page costs in the database client. The document
 * stays JSON text: it is parsed where the page is written (a worker thread).
 */
export interface ExportDataset {
  id: string;
  uri: string;
  state: 'active' | 'draft' | 'deleted';
  private: boolean;
  /** The stored document as JSON text; its `@id` is `uri`. */
  docText: string;
  /** Changes with every revision (the dataset's REST ETag without quotes). */
  version: string;
}

interface ExportRow {
  id: string;
  uri: string;
  state: ExportDataset['state'];
  private: boolean;
  revision: number;
  doc: string;
}

function toExport(r: ExportRow): ExportDataset {
  return { id: r.id, uri: r.uri, state: r.state, private: r.private, docText: r.doc, version: `${r.id}.${r.revision}` };
}

async function loadExportRows(db: Tx, ids: string[]): Promise<ExportDataset[]> {
  if (!ids.length) return [];
  const rows = await db
    .select({ id: datasets.id, uri: datasets.uri, state: datasets.state, private: datasets.private, revision: datasets.revision, doc: sql<string>`${datasets.doc}::text` })
    .from(datasets)
    .where(inArray(datasets.id, ids));
  const byId = new Map<string, ExportDataset>();
  for (const r of rows) byId.set(r.id, toExport(r));
  return ids.map((id) => byId.get(id)).filter((x): x is ExportDataset => !!x);
}
// A page without free text reads these columns in its own statement (the ids come as text there).
loadExportRows.columns = sql`d.uri, d.state, d.private, d.revision, d.doc::text AS doc`;
loadExportRows.fromRows = (rows: Record<string, unknown>[]) => rows.map((r) => toExport(r as unknown as ExportRow));

/** One page of the export: the search of every face (same visibility, filters, cursor), with the slim rows. */
export function exportPage(db: Tx, actor: Actor, query: SearchQuery): Promise<SearchResult<ExportDataset>> {
  return searchDatasets(db, actor, query, loadExportRows);
}

/**
 * Newest change of the catalog: the newest metadata_modified of any dataset
 * in any state (moves on every write, withdrawal and privatisation) or the
 * newest purge (a purged row is gone, so only the audit log remembers it).
 * One statement of two index lookups (datasets_modified_idx and the
 * target_type prefix of audit_log_target_idx): it runs on every page.
 */
export async function newestChange(db: Tx): Promise<string | undefined> {
  const res = await db.execute(
    sql`SELECT greatest((SELECT max(${datasets.metadataModified}) FROM ${datasets}), (SELECT max(${auditLog.at}) FROM ${auditLog} WHERE ${auditLog.targetType} = 'dataset' AND ${auditLog.action} = 'dataset.purge')) AS newest`,
  );
  const rows = rowsOf<{ newest: string | Date | null }>(res);
  const newest = rows[0]?.newest;
  return newest ? new Date(newest).toISOString() : undefined;
}
