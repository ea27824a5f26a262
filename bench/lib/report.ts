import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, totalmem } from 'node:os';
import { join } from 'node:path';

/** Percentile by linear interpolation between closest ranks (p in 0..100). */
export function percentile(sorted: readonly number[], p: number): number {
  if (!sorted.length) return Number.NaN;
  const rank = (p / 100) * (sorted.length - 1);
  const lo = Math.floor(rank);
  const hi = Math.ceil(rank);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (rank - lo);
}

export interface Summary {
  n: number;
  min: number;
  mean: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

export function summarize(samples: readonly number[]): Summary {
  const s = [...samples].sort((a, b) => a - b);
  const mean = s.reduce((a, b) => a + b, 0) / (s.length || 1);
  return { n: s.length, min: s[0] ?? Number.NaN, mean, p50: percentile(s, 50), p95: percentile(s, 95), p99: percentile(s, 99), max: s[s.length - 1] ?? Number.NaN };
}

/** A target: its text as the issue states it, and how to judge a figure (and its limit). */
export interface Target {
  text: string;
  /** true: met; false: missed. */
  met(value: number, limit?: number): boolean;
}

export const atMost = (max: number, unit: string): Target => ({ text: `≤ ${max} ${unit}`, met: (v) => v <= max });
export const atLeast = (min: number, unit: string): Target => ({ text: `≥ ${min.toLocaleString('en')} ${unit}`, met: (v) => v >= min });
/** Figure at most `factor` times its limit (slower is larger). */
export const ratioAtMost = (factor: number): Target => ({ text: `≤ ${factor}× limit`, met: (v, l) => l !== undefined && l > 0 && v / l <= factor });
/** Throughput at least 1/`factor` of its limit (faster is larger). */
export const throughputRatio = (factor: number): Target => ({ text: `≥ 1/${factor} of limit`, met: (v, l) => l !== undefined && l > 0 && l / v <= factor });

export type Verdict = 'met' | 'MISSED' | 'n/a' | 'info';

export interface ResultRow {
  scenario: string;
  db: string;
  /** Datasets in the catalog. */
  size: number | null;
  metric: string;
  value: number | null;
  unit: string;
  /** The same work without the catalog (raw SQL, bare PGlite, ...), measured in this run. */
  limit: number | null;
  limitLabel: string;
  /** value / limit. */
  ratio: number | null;
  target: string;
  verdict: Verdict;
  note: string;
}

export interface RowInput {
  scenario: string;
  db: string;
  size: number | null;
  metric: string;
  value: number;
  unit: string;
  limit?: number;
  limitLabel?: string;
  targets?: Target[];
  note?: string;
}

/** A measured row; the verdict is met only when every target is. */
export function row(r: RowInput): ResultRow {
  const targets = r.targets ?? [];
  const ok = targets.every((t) => t.met(r.value, r.limit));
  return {
    scenario: r.scenario,
    db: r.db,
    size: r.size,
    metric: r.metric,
    value: r.value,
    unit: r.unit,
    limit: r.limit ?? null,
    limitLabel: r.limitLabel ?? '',
    ratio: r.limit !== undefined && r.limit > 0 ? r.value / r.limit : null,
    target: targets.map((t) => t.text).join(', '),
    verdict: targets.length ? (ok ? 'met' : 'MISSED') : 'info',
    note: r.note ?? '',
  };
}

/**
 * The issue's targets are stated for PostgreSQL 15 on two cores; on the embedded PGlite
 * (one WASM process, the database in the bench process) its figures are information,
 * with the verdict the PostgreSQL target would give kept in the note.
 */
export function informational(r: ResultRow, why: string): ResultRow {
  if (r.verdict !== 'met' && r.verdict !== 'MISSED') return r;
  return { ...r, verdict: 'info', note: [r.note, `${why}: ${r.verdict === 'met' ? 'within' : 'outside'} the PostgreSQL target`].filter(Boolean).join('; ') };
}

/** A scenario that cannot run yet: says why, never a made-up figure. */
export function unavailable(scenario: string, db: string, size: number | null, target: string, reason: string): ResultRow {
  return { scenario, db, size, metric: '', value: null, unit: '', limit: null, limitLabel: '', ratio: null, target, verdict: 'n/a', note: `not available yet: ${reason}` };
}

function fmt(v: number | null): string {
  if (v === null || Number.isNaN(v)) return '–';
  if (Math.abs(v) >= 1000) return Math.round(v).toLocaleString('en');
  if (Math.abs(v) >= 100) return v.toFixed(0);
  if (Math.abs(v) >= 10) return v.toFixed(1);
  return v.toFixed(2);
}

/** One plain-text table (also valid Markdown). */
export function formatTable(rows: readonly ResultRow[]): string {
  const head = ['scenario', 'db', 'size', 'metric', 'value', 'limit', '×limit', 'target', 'verdict', 'note'];
  const body = rows.map((r) => [
    r.scenario,
    r.db,
    r.size === null ? '' : r.size.toLocaleString('en'),
    r.metric,
    r.value === null ? '–' : `${fmt(r.value)} ${r.unit}`,
    r.limit === null ? '' : `${fmt(r.limit)} ${r.unit}${r.limitLabel ? ` (${r.limitLabel})` : ''}`,
    r.ratio === null ? '' : `${r.ratio.toFixed(2)}×`,
    r.target,
    r.verdict,
    r.note,
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  return [line(head), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...body.map(line)].join('\n');
}

export interface RunMeta {
  startedAt: string;
  finishedAt?: string;
  argv: string[];
  node: string;
  cpus: number;
  cpuModel: string;
  memoryGb: number;
  commit: string | null;
  postgres?: string;
  seed: number;
}

export function runMeta(argv: string[], seed: number): RunMeta {
  let commit: string | null = null;
  try {
    commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    // not a git checkout
  }
  return {
    startedAt: new Date().toISOString(),
    argv,
    node: process.version,
    cpus: availableParallelism(),
    cpuModel: cpus()[0]?.model ?? '',
    memoryGb: Math.round(totalmem() / 2 ** 30),
    commit,
    seed,
  };
}

/** bench/results/<timestamp>.json: the run's metadata and every row, for comparing runs. */
export function writeResults(dir: string, meta: RunMeta, rows: readonly ResultRow[]): string {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${meta.startedAt.replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, `${JSON.stringify({ meta, rows }, null, 2)}\n`);
  return file;
}
