// Merges small tick files into bigger ones so a symbol-day stays at about a hundred files:
//   L0 (one file per flush, all symbols)  →  L1 (one file per symbol-hour touched by a compaction pass)
//   L1/L2 files of a closed symbol-hour   →  one L2 file
//   files of a closed symbol-day (UTC)    →  one L3 file.
// Inputs are tombstoned, not deleted: readers that listed them keep working until the grace period ends.
import { statSync } from 'node:fs';
import path from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { ownedPaths, type FilePart, type ManifestFile } from './manifest';
import { makeDirDurable, publishFile, sqlPath, sqlPathList, tempPathFor } from './fs-atomic';
import { syncDir } from './disk-sync';
import { rollupPathFor, rollupSelect } from './rollup';

export const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
/** L0 files merged per pass step, so a long backlog is compacted in bounded memory. */
const L0_FILES_PER_STEP = 100;

/** What compaction needs to know of a file kind: where its files live, its time and sequence columns, its rollup. */
export interface CompactionSchema {
  /** Top directory of the kind's files, e.g. `ticks`. */
  root: string;
  /** Decides the hour and day a row belongs to. */
  timeColumn: string;
  /** Orders rows of equal time; its min and max are a file part's minId/maxId. */
  idColumn: string;
  /** The one-second rollup of a relation, or none. */
  rollupSelect?: (from: string) => string;
  rollupSuffix?: string;
}

export const TICK_SCHEMA: CompactionSchema = { root: 'ticks', timeColumn: 'tradeTime', idColumn: 'aggId', rollupSelect, rollupSuffix: '.bars1s.parquet' };

export interface CompactionPlanInput {
  dir: string;
  /** Default: ticks. */
  schema?: CompactionSchema;
  files: readonly ManifestFile[];
  /** Decides which hours are closed. */
  now: number;
  hourCloseDelayMs: number;
  /** Allocates file sequence numbers. */
  nextSeq: () => number;
}

export interface CompactionOutput {
  added: ManifestFile[];
  removed: string[];
}

function periodPath(root: string, symbol: string, start: number, level: 1 | 2 | 3, seq: number): string {
  const iso = new Date(start).toISOString(); // 2026-11-25T16:00:00.000Z
  const day = iso.slice(0, 10);
  const name = level === 3 ? day : `${day}T${iso.slice(11, 13)}`;
  return `${root}/${symbol}/${day}/L${level}-${name}-${String(seq).padStart(9, '0')}.parquet`;
}

/** Writes one output file under its final name; its directory is synced once per pass, before the caller publishes. */
async function copyToFile(conn: DuckDBConnection, dir: string, rel: string, selectSql: string, params: (string | number)[]): Promise<number> {
  const abs = path.join(dir, rel);
  await makeDirDurable(path.dirname(abs));
  const tmp = tempPathFor(abs);
  await conn.run(`COPY (${selectSql}) TO ${sqlPath(tmp)} (FORMAT parquet, COMPRESSION zstd)`, params);
  await publishFile(tmp, abs);
  return statSync(abs).size;
}

interface PartRow extends FilePart {
  symbol: string;
  hour: number;
}

async function l0ToL1(conn: DuckDBConnection, input: CompactionPlanInput, l0: readonly ManifestFile[], out: CompactionOutput): Promise<void> {
  const { root, timeColumn: time, idColumn: id, rollupSelect: rollupOf, rollupSuffix } = input.schema ?? TICK_SCHEMA;
  const list = sqlPathList(l0.map((f) => path.join(input.dir, f.path)));
  await conn.run(`CREATE OR REPLACE TEMP TABLE pairs_lab_compact AS SELECT * FROM read_parquet(${list})`);
  try {
    const reader = await conn.runAndReadAll(`SELECT symbol, CAST(${time} // ${HOUR_MS} * ${HOUR_MS} AS DOUBLE) AS hour,
        CAST(count(*) AS DOUBLE), CAST(min(${time}) AS DOUBLE), CAST(max(${time}) AS DOUBLE),
        CAST(min(${id}) AS DOUBLE), CAST(max(${id}) AS DOUBLE)
      FROM pairs_lab_compact GROUP BY ALL ORDER BY ALL`);
    const parts: PartRow[] = reader.getRows().map((r) => ({
      symbol: String(r[0]), hour: Number(r[1]), rows: Number(r[2]), minT: Number(r[3]), maxT: Number(r[4]), minId: Number(r[5]), maxId: Number(r[6]),
    }));
    for (const p of parts) {
      const rel = periodPath(root, p.symbol, p.hour, 1, input.nextSeq());
      const bytes = await copyToFile(conn, input.dir, rel,
        `SELECT * FROM pairs_lab_compact WHERE symbol = $1 AND ${time} >= $2 AND ${time} < $3 ORDER BY ${time}, ${id}`,
        [p.symbol, p.hour, p.hour + HOUR_MS]);
      const rollup = rollupOf ? rollupPathFor(rel, rollupSuffix) : undefined;
      if (rollupOf && rollup) {
        await copyToFile(conn, input.dir, rollup,
          rollupOf(`(SELECT * FROM pairs_lab_compact WHERE symbol = $1 AND ${time} >= $2 AND ${time} < $3)`), [p.symbol, p.hour, p.hour + HOUR_MS]);
      }
      out.added.push({
        path: rel, ...(rollup ? { rollup } : {}), level: 1, hour: p.hour, rows: p.rows, bytes, createdAt: Date.now(),
        symbols: { [p.symbol]: { minT: p.minT, maxT: p.maxT, minId: p.minId, maxId: p.maxId, rows: p.rows } },
      });
    }
    out.removed.push(...l0.map((f) => f.path));
  } finally {
    await conn.run('DROP TABLE IF EXISTS pairs_lab_compact');
  }
}

function mergeParts(files: readonly ManifestFile[], symbol: string): FilePart {
  const parts = files.map((f) => f.symbols[symbol]);
  return {
    minT: Math.min(...parts.map((p) => p.minT)), maxT: Math.max(...parts.map((p) => p.maxT)),
    minId: Math.min(...parts.map((p) => p.minId)), maxId: Math.max(...parts.map((p) => p.maxId)),
    rows: parts.reduce((s, p) => s + p.rows, 0),
  };
}

/**
 * The files of one symbol in trade-time order if their time ranges do not overlap (each L1–L3 file is sorted by
 * tradeTime, aggId), else null. Equal times at a boundary count as overlap: their order would be decided by aggId.
 */
function inTimeOrderIfDisjoint(files: readonly ManifestFile[], symbol: string): ManifestFile[] | null {
  const sorted = [...files].sort((a, b) => a.symbols[symbol].minT - b.symbols[symbol].minT);
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i].symbols[symbol].minT <= sorted[i - 1].symbols[symbol].maxT) return null;
  }
  return sorted;
}

/** A closed period whose files are merged into one: an hour (→ L2) or a UTC day (→ L3). */
interface Period {
  level: 2 | 3;
  ms: number;
  /** The period a file belongs to, or undefined if it is not merged at this level. */
  startOf(f: ManifestFile): number | undefined;
}

const HOURS: Period = { level: 2, ms: HOUR_MS, startOf: (f) => (f.level === 1 || f.level === 2 ? f.hour : undefined) };
const DAYS: Period = { level: 3, ms: DAY_MS, startOf: (f) => (f.level === 0 || f.hour === undefined ? undefined : Math.floor(f.hour / DAY_MS) * DAY_MS) };

async function mergeClosed(conn: DuckDBConnection, input: CompactionPlanInput, files: readonly ManifestFile[], period: Period, out: CompactionOutput): Promise<void> {
  const { root, timeColumn: time, idColumn: id, rollupSelect: rollupOf, rollupSuffix } = input.schema ?? TICK_SCHEMA;
  const groups = new Map<string, ManifestFile[]>();
  for (const f of files) {
    const start = period.startOf(f);
    if (start === undefined || start + period.ms + input.hourCloseDelayMs > input.now) continue;
    // An hour of a day that is already closed is left to the day merge, so it is rewritten only once.
    if (period.level === 2 && Math.floor(start / DAY_MS) * DAY_MS + DAY_MS + input.hourCloseDelayMs <= input.now) continue;
    const key = `${Object.keys(f.symbols)[0]}\u0000${start}`;
    const g = groups.get(key);
    if (g) g.push(f); else groups.set(key, [f]);
  }
  for (const [key, group] of groups) {
    if (group.length < 2) continue;
    const [symbol, startText] = key.split('\u0000');
    const start = Number(startText);
    const rel = periodPath(root, symbol, start, period.level, input.nextSeq());
    const ordered = inTimeOrderIfDisjoint(group, symbol);
    const list = sqlPathList((ordered ?? group).map((f) => path.join(input.dir, f.path)));
    // Disjoint sorted files are concatenated in order (DuckDB keeps a file list's order: preserve_insertion_order is
    // on), so the merge streams; only overlapping files (late ticks) need the sort, which may spill past memory_limit.
    const select = ordered ? `SELECT * FROM read_parquet(${list})` : `SELECT * FROM read_parquet(${list}) ORDER BY ${time}, ${id}`;
    const bytes = await copyToFile(conn, input.dir, rel, select, []);
    const rollup = rollupOf ? rollupPathFor(rel, rollupSuffix) : undefined;
    if (rollupOf && rollup) await copyToFile(conn, input.dir, rollup, rollupOf(`read_parquet(${sqlPath(path.join(input.dir, rel))})`), []);
    const part = mergeParts(group, symbol);
    out.added.push({ path: rel, ...(rollup ? { rollup } : {}), level: period.level, hour: start, rows: part.rows, bytes, createdAt: Date.now(), symbols: { [symbol]: part } });
    out.removed.push(...group.flatMap(ownedPaths));
  }
}

/** Writes the merged files, durable under their final names, for the caller to publish, and names the files they replace. */
export async function runCompaction(conn: DuckDBConnection, input: CompactionPlanInput): Promise<CompactionOutput> {
  const out: CompactionOutput = { added: [], removed: [] };
  const l0 = input.files.filter((f) => f.level === 0);
  for (let i = 0; i < l0.length; i += L0_FILES_PER_STEP) {
    await l0ToL1(conn, input, l0.slice(i, i + L0_FILES_PER_STEP), out);
  }
  const removed = new Set(out.removed);
  for (const period of [HOURS, DAYS]) {
    const merged: CompactionOutput = { added: [], removed: [] };
    await mergeClosed(conn, input, [...input.files.filter((f) => !removed.has(f.path)), ...out.added], period, merged);
    // A file written in this pass and merged straight away is tombstoned like the others (no reader ever listed it).
    const mergedAway = new Set(merged.removed);
    out.added = [...out.added.filter((f) => !mergedAway.has(f.path)), ...merged.added];
    for (const p of merged.removed) { out.removed.push(p); removed.add(p); }
  }
  const dirs = new Set(out.added.flatMap(ownedPaths).map((rel) => path.dirname(path.join(input.dir, rel))));
  for (const d of dirs) await syncDir(d);
  return out;
}
