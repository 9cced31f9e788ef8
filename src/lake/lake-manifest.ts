// The lake manifest: the one list of exported symbol-days. Readers read only the files it lists; it is replaced whole
// and last, after the files it names are complete, so a reader never sees a partial day or a day twice.

export interface LakeTicksPart {
  /** Relative to the lake root, '/'-separated. */
  path: string;
  rows: number;
  bytes: number;
  minId: number;
  maxId: number;
  minT: number;
  maxT: number;
}

export interface LakeBarsPart {
  path: string;
  rows: number;
  bytes: number;
}

export interface LakeDay {
  symbol: string;
  /** UTC day, YYYY-MM-DD. */
  date: string;
  /** ISO time of the export. */
  exportedAt: string;
  ticks: LakeTicksPart;
  bars1s: LakeBarsPart;
}

/** A part replaced by a re-export; deleted once `removedAt` is older than the grace period, so running reads finish. */
export interface LakeTombstone {
  path: string;
  /** ISO time the manifest stopped listing it. */
  removedAt: string;
}

export interface LakeManifest {
  version: 1;
  updatedAt: string;
  days: LakeDay[];
  /** Not read by lake readers (Spark ignores it): the exporter's list of parts to delete after the grace period. */
  tombstones?: LakeTombstone[];
}

export const LAKE_MANIFEST = 'manifest.json';

export function emptyLakeManifest(): LakeManifest {
  return { version: 1, updatedAt: new Date(0).toISOString(), days: [], tombstones: [] };
}

export function parseLakeManifest(text: string, where: string): LakeManifest {
  let m: LakeManifest;
  try {
    m = JSON.parse(text) as LakeManifest;
  } catch (err) {
    throw new Error(`${where} is not valid JSON (${(err as Error).message}); the exporter replaces it whole, so it was written by something else`);
  }
  if (m === null || typeof m !== 'object' || m.version !== 1 || !Array.isArray(m.days)) {
    throw new Error(`${where} is not a Pairs Lab lake manifest (expected {"version": 1, "days": [...]})`);
  }
  return m;
}

export const dayKey = (symbol: string, date: string): string => `${symbol}\u0000${date}`;
