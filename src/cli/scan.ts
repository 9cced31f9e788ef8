// `pairs-lab scan`: the universe scan of a lake, on this machine or on a Spark standalone cluster.
import type { Command } from './commands';
import { type LakeScan, type LakeScanSettings, scanLakeLocally, scanLakeOnSpark, writeScanParquet } from '../research';

export const scanUsage = `usage: pairs-lab scan --lake DIR|s3://BUCKET/PREFIX [--spark spark://HOST:7077] [--timeframe 1m] [--from T] [--to T]
                      [--symbols A,B,...] [--max-bars N] [--min-correlation R] [--partitions N] [--out results.parquet]
                      [--s3-endpoint URL] [--cache-dir DIR]

Ranks every pair of the lake's symbols by Engle-Granger p-value, on the common grid of their bars at --timeframe.
Reads only the bar files the lake's manifest.json lists; those of an s3:// lake (endpoint and keys as for export:
--s3-endpoint or AWS_ENDPOINT_URL, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY) are downloaded to --cache-dir first
(default $TMPDIR/pairs-lab-lake-cache/…; on a cluster of several machines, a directory every worker mounts). Without --spark the scan runs here (DuckDB and the
analytics library); with --spark it runs on that standalone master (install PySpark: node scripts/setup.mjs
--with-spark). --from/--to: ISO-8601 (UTC unless an offset is given) or epoch ms; bucket starts in [from, to).
--out writes the ranked rows as Parquet; the best rows are printed either way.`;

export function parseOptions(args: string[], allowed: readonly string[]): Map<string, string> {
  const options = new Map<string, string>();
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const [name, inline] = a.startsWith('--') ? a.slice(2).split(/=(.*)/s, 2) : [a, undefined];
    if (!allowed.includes(name) || !a.startsWith('--')) throw new Error(`unknown argument "${a}"; expected ${allowed.map((n) => `--${n}`).join(', ')}`);
    const value = inline ?? args[++i];
    if (value === undefined) throw new Error(`--${name} needs a value`);
    options.set(name, value);
  }
  return options;
}

export function time(name: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const t = /^\d+$/.test(v) ? Number(v) : Date.parse(/[zZ]|[+-]\d\d:?\d\d$/.test(v) || !v.includes('T') ? v : `${v}Z`);
  if (!Number.isSafeInteger(t)) throw new Error(`--${name} must be an ISO-8601 time or epoch ms, got "${v}"`);
  return t;
}

export function count(name: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isSafeInteger(n) || n < 1) throw new Error(`--${name} must be a positive whole number, got "${v}"`);
  return n;
}

/** The options that say which bars of which lake to read, shared by scan and search. */
export const LAKE_OPTIONS = ['lake', 'timeframe', 'from', 'to', 'symbols', 'max-bars', 's3-endpoint', 'cache-dir'] as const;

export function lakeSettings(o: Map<string, string>, lake: string): Omit<LakeScanSettings, 'minCorrelation'> {
  const endpoint = o.get('s3-endpoint');
  return {
    lake,
    timeframe: o.get('timeframe') ?? '1m',
    from: time('from', o.get('from')),
    to: time('to', o.get('to')),
    symbols: o.get('symbols')?.split(',').map((s) => s.trim().toUpperCase()).filter(Boolean),
    maxBars: count('max-bars', o.get('max-bars')),
    ...(endpoint ? { s3: { endpoint } } : {}),
    ...(o.has('cache-dir') ? { cacheDir: o.get('cache-dir') } : {}),
  };
}

function correlation(v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const r = Number(v);
  if (!(r >= -1 && r <= 1)) throw new Error(`--min-correlation must be a number from -1 to 1, got "${v}"`);
  return r;
}

function fmt(v: number): string {
  return Number.isFinite(v) ? Number(v.toPrecision(4)).toString() : String(v);
}

function printScan(scan: LakeScan, where: string, ms: number): void {
  process.stderr.write(`scanned ${scan.rows.length} pairs × ${scan.bars} bars of ${scan.timeframe} (${new Date(scan.from).toISOString()} .. ${new Date(scan.to).toISOString()}) ${where} in ${(ms / 1000).toFixed(1)} s\n`);
  for (const s of scan.skipped) process.stderr.write(`left out ${s.symbol}: ${s.reason}\n`);
  process.stdout.write('rank,y,x,beta,egPValue,adfPValue,halfLife,correlation\n');
  for (const r of scan.rows.slice(0, 20)) {
    process.stdout.write(`${r.rank},${r.y},${r.x},${fmt(r.beta)},${fmt(r.egPValue)},${fmt(r.adfPValue)},${fmt(r.halfLife)},${fmt(r.correlation)}\n`);
  }
}

export const scanCommand: Command = {
  summary: 'rank every pair of a lake by cointegration, here or on a Spark cluster (--spark)',
  async run(args) {
    if (args.includes('--help') || args.includes('-h')) { process.stdout.write(`${scanUsage}\n`); return 0; }
    const o = parseOptions(args, [...LAKE_OPTIONS, 'spark', 'min-correlation', 'partitions', 'out']);
    const lake = o.get('lake');
    if (!lake) { process.stderr.write(`--lake is required\n\n${scanUsage}\n`); return 2; }
    const settings: LakeScanSettings = {
      ...lakeSettings(o, lake),
      minCorrelation: correlation(o.get('min-correlation')),
    };
    const master = o.get('spark');
    const t0 = performance.now();
    const scan = master
      ? await scanLakeOnSpark({ ...settings, master, partitions: count('partitions', o.get('partitions')) })
      : await scanLakeLocally(settings);
    printScan(scan, master ? `on ${master}` : 'on this machine', performance.now() - t0);
    const out = o.get('out');
    if (out) {
      await writeScanParquet(scan.rows, out);
      process.stderr.write(`wrote ${scan.rows.length} ranked rows to ${out}\n`);
    }
    return 0;
  },
};
