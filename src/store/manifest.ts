// The manifest: the one list of live tick files, replaced atomically by the writer and read by every reader.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { HighWaterMark } from './types';
import { replaceFileSync } from './fs-atomic';
import { syncDir } from './disk-sync';

/** Statistics of one symbol's rows inside one file (used to prune files by symbol and time). */
export interface FilePart {
  minT: number;
  maxT: number;
  minId: number;
  maxId: number;
  rows: number;
}

/** Counts one row of `symbol` at time `t` with id `id` into the file's per-symbol statistics. */
export function widenPart(parts: Record<string, FilePart>, symbol: string, t: number, id: number): void {
  const p = parts[symbol];
  if (!p) {
    parts[symbol] = { minT: t, maxT: t, minId: id, maxId: id, rows: 1 };
    return;
  }
  if (t < p.minT) p.minT = t;
  if (t > p.maxT) p.maxT = t;
  if (id < p.minId) p.minId = id;
  if (id > p.maxId) p.maxId = id;
  p.rows++;
}

export interface ManifestFile {
  /** Relative to the store directory, '/'-separated. */
  path: string;
  /** 0 = one file per flush (all symbols); 1 = one symbol-hour slice of a compaction pass; 2 = a whole symbol-hour; 3 = a whole symbol-day. */
  level: 0 | 1 | 2 | 3;
  /** Start (ms) of the hour (L1/L2) or UTC day (L3) the file covers; absent for L0. */
  hour?: number;
  rows: number;
  bytes: number;
  createdAt: number;
  symbols: Record<string, FilePart>;
  /** L1/L2: a companion file of one-second bars of the same ticks (see rollup.ts); bars read it instead of the ticks. */
  rollup?: string;
}

export interface Tombstone {
  path: string;
  removedAt: number;
}

export interface Manifest {
  format: 1;
  version: number;
  updatedAt: number;
  /** Next file sequence number; files with higher numbers found at startup were never published. */
  nextSeq: number;
  files: ManifestFile[];
  tombstones: Tombstone[];
  /** Stored aggIds per symbol as sorted, disjoint, inclusive ranges. */
  coverage: Record<string, [number, number][]>;
  highWaterMarks: Record<string, HighWaterMark>;
}

export const MANIFEST_NAME = 'manifest.json';

export function emptyManifest(): Manifest {
  return { format: 1, version: 0, updatedAt: 0, nextSeq: 1, files: [], tombstones: [], coverage: {}, highWaterMarks: {} };
}

/** The current manifest, or an empty one when the store has none yet. */
export function readManifest(dir: string, name = MANIFEST_NAME): Manifest {
  let text: string;
  try {
    text = readFileSync(path.join(dir, name), 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return emptyManifest();
    throw err;
  }
  let m: Manifest;
  try {
    m = JSON.parse(text) as Manifest;
  } catch (err) {
    throw new Error(`${path.join(dir, name)} is not valid JSON (${(err as Error).message}); it is only ever replaced whole, ` +
      'so this points to a disk-level failure: restore it from a backup, or move the store aside and start a new one');
  }
  if (m.format !== 1 || !Array.isArray(m.files)) {
    throw new Error(`${path.join(dir, name)} is not a Pairs Lab store manifest (format ${String(m.format)}); point the store at another directory`);
  }
  return m;
}

/**
 * Publishes `m`: readers see it when this returns (it is synchronous, so publications happen in program order);
 * the returned promise resolves once the publication also survives a power loss. Every file `m` lists must already
 * be durable under its final name.
 */
export function writeManifest(dir: string, m: Manifest, name = MANIFEST_NAME): Promise<void> {
  replaceFileSync(path.join(dir, name), JSON.stringify(m));
  return syncDir(dir);
}

/** `m` after a compaction pass: its outputs listed, its inputs unlisted and tombstoned at `removedAt`. */
export function afterCompaction(m: Manifest, out: { added: readonly ManifestFile[]; removed: readonly string[] }, nextSeq: number, removedAt: number): Omit<Manifest, 'version' | 'updatedAt' | 'format'> {
  const removed = new Set(out.removed);
  return {
    ...m, nextSeq,
    files: [...m.files.filter((f) => !removed.has(f.path)), ...out.added],
    tombstones: [...m.tombstones, ...out.removed.map((p) => ({ path: p, removedAt }))],
  };
}

/** Every path a manifest entry owns (its tick file and its rollup). */
export function ownedPaths(f: ManifestFile): string[] {
  return f.rollup ? [f.path, f.rollup] : [f.path];
}

/** Files holding rows of `symbol` that may have trades in [from, to). */
export function filesFor(m: Manifest, symbol: string, from = -Infinity, to = Infinity): ManifestFile[] {
  return m.files.filter((f) => {
    const part = f.symbols[symbol];
    return part !== undefined && part.maxT >= from && part.minT < to;
  });
}

/** Newest trade time of a symbol over the live files, or undefined when it has no ticks. */
export function newestTradeTime(m: Manifest, symbol: string): number | undefined {
  let newest: number | undefined;
  for (const f of m.files) {
    const part = f.symbols[symbol];
    if (part && (newest === undefined || part.maxT > newest)) newest = part.maxT;
  }
  return newest;
}
