// `pairs-lab search`: the backtester's parameter search of a lake's pairs, on this machine or on a Spark cluster.
import { writeFileSync } from 'node:fs';
import type { Command } from './commands';
import type { HedgeSpec } from '../backtest';
import { type LakeSearch, searchLakeLocally, searchLakeOnSpark } from '../research';
import { toLine } from '../research/pairLines';
import { count, LAKE_OPTIONS, lakeSettings, parseOptions } from './scan';

export const searchUsage = `usage: pairs-lab search --lake DIR|s3://BUCKET/PREFIX --entry 1.5,2 --exit 0,0.5 --window 60,120 --hedge ols:120
                        [--stop 3,none] [--pairs BTCUSDT/ETHUSDT,...] [--train-fraction 0.7] [--spark spark://HOST:7077]
                        [--timeframe 1m] [--from T] [--to T] [--symbols A,B,...] [--max-bars N] [--partitions N]
                        [--s3-endpoint URL] [--cache-dir DIR] [--out results.jsonl]

Runs the backtester's grid search (every entry × exit × stop × z window × hedge) on each pair (default: every pair of
the lake's symbols), on the pairs' common grid of bars at --timeframe, as the scan builds it; the opens are the
closes. --hedge: ols:W or huber:W (rolling over W bars), expanding-ols:N or expanding-huber:N (from N bars on), fixed:BETA.
--train-fraction: train on that share of the bars and test on the rest (default: every point on all bars).
Prints each pair's best point by Sharpe (out of sample with --train-fraction); --out writes every pair's rows as
one JSON line a pair (NaN, ±Infinity and -0 as strings). Lake options as for pairs-lab scan.`;

function numbers(name: string, v: string | undefined, allowNone = false): Array<number | null> {
  if (v === undefined) throw new Error(`--${name} is required (a comma-separated list of numbers)\n\n${searchUsage}`);
  return v.split(',').map((s) => {
    if (allowNone && s.trim() === 'none') return null;
    const n = Number(s);
    if (s.trim() === '' || !Number.isFinite(n)) throw new Error(`--${name} must be comma-separated numbers${allowNone ? ' or "none"' : ''}, got "${v}"`);
    return n;
  });
}

const present = (values: Array<number | null>): number[] => values.filter((n): n is number => n !== null);

function hedges(v: string | undefined): HedgeSpec[] {
  if (v === undefined) throw new Error(`--hedge is required, e.g. ols:120\n\n${searchUsage}`);
  return v.split(',').map((s) => {
    const m = /^(ols|huber|expanding-ols|expanding-huber|fixed):(-?[0-9.]+)$/.exec(s.trim());
    const n = m ? Number(m[2]) : NaN;
    if (!m || !Number.isFinite(n)) throw new Error(`--hedge takes ols:W, huber:W, expanding-ols:N, expanding-huber:N or fixed:BETA, got "${s}"`);
    if (m[1] === 'fixed') return { kind: 'fixed', beta: n };
    if (!Number.isSafeInteger(n) || n < 2) throw new Error(`--hedge ${m[1]} needs a whole number of bars of at least 2, got "${s}"`);
    if (m[1].startsWith('expanding-')) return { kind: 'expanding', estimator: m[1].slice('expanding-'.length) as 'ols' | 'huber', minBars: n };
    return { kind: 'rolling', estimator: m[1] as 'ols' | 'huber', window: n };
  });
}

function pairList(v: string | undefined): Array<{ y: string; x: string }> | undefined {
  return v?.split(',').map((s) => {
    const [y, x, ...rest] = s.trim().toUpperCase().split('/');
    if (!y || !x || rest.length) throw new Error(`--pairs takes Y/X pairs such as BTCUSDT/ETHUSDT, comma-separated, got "${s}"`);
    return { y, x };
  });
}

function fmt(v: number): string {
  return Number.isFinite(v) ? Number(v.toPrecision(4)).toString() : String(v);
}

function printSearch(result: LakeSearch, outOfSample: boolean, where: string, ms: number): void {
  const runs = result.pairs.reduce((a, p) => a + p.runs, 0);
  process.stderr.write(`searched ${result.pairs.length} pairs × ${result.bars} bars of ${result.timeframe} (${runs} simulations) ${where} in ${(ms / 1000).toFixed(1)} s\n`);
  for (const s of result.skipped) process.stderr.write(`left out ${s.symbol}: ${s.reason}\n`);
  process.stdout.write(`y,x,entry,exit,stop,window,hedge,sharpe${outOfSample ? ' (out of sample)' : ''},totalReturn,trades\n`);
  for (const p of result.pairs) {
    const metrics = (r: (typeof p.rows)[number]) => (outOfSample ? r.outOfSample : r.inSample);
    const score = (r: (typeof p.rows)[number]) => { const s = metrics(r)?.sharpe ?? NaN; return Number.isFinite(s) ? s : -Infinity; };
    const best = p.rows.reduce((a, r) => (score(r) > score(a) ? r : a), p.rows[0]);
    const m = metrics(best);
    process.stdout.write(`${p.y},${p.x},${best.entry},${best.exit},${best.stop ?? 'none'},${best.window},${best.hedge},${fmt(m?.sharpe ?? NaN)},${fmt(m?.totalReturn ?? NaN)},${m?.trades ?? 0}\n`);
  }
}

export const searchCommand: Command = {
  summary: 'grid-search the backtest parameters of a lake\'s pairs, here or on a Spark cluster (--spark)',
  async run(args) {
    if (args.includes('--help') || args.includes('-h')) { process.stdout.write(`${searchUsage}\n`); return 0; }
    const o = parseOptions(args, [...LAKE_OPTIONS, 'spark', 'partitions', 'out', 'pairs', 'entry', 'exit', 'stop', 'window', 'hedge', 'train-fraction']);
    const lake = o.get('lake');
    if (!lake) { process.stderr.write(`--lake is required\n\n${searchUsage}\n`); return 2; }
    const trainFraction = o.has('train-fraction') ? Number(o.get('train-fraction')) : undefined;
    if (trainFraction !== undefined && !(trainFraction > 0 && trainFraction < 1)) throw new Error(`--train-fraction must be a number between 0 and 1, got "${o.get('train-fraction')}"`);
    const settings = {
      ...lakeSettings(o, lake),
      pairs: pairList(o.get('pairs')),
      search: {
        grid: {
          entry: present(numbers('entry', o.get('entry'))), exit: present(numbers('exit', o.get('exit'))),
          window: present(numbers('window', o.get('window'))), stop: o.has('stop') ? numbers('stop', o.get('stop'), true) : [null],
          hedge: hedges(o.get('hedge')),
        },
        ...(trainFraction !== undefined ? { trainFraction } : {}),
      },
    };
    const master = o.get('spark');
    const t0 = performance.now();
    const result = master
      ? await searchLakeOnSpark({ ...settings, master, partitions: count('partitions', o.get('partitions')) })
      : await searchLakeLocally(settings);
    printSearch(result, trainFraction !== undefined, master ? `on ${master}` : 'on this machine', performance.now() - t0);
    const out = o.get('out');
    if (out) {
      writeFileSync(out, result.pairs.map((p) => `${toLine(p)}\n`).join(''));
      process.stderr.write(`wrote the rows of ${result.pairs.length} pairs to ${out}\n`);
    }
    return 0;
  },
};
