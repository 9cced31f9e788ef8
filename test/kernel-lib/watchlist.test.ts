// A watchlist of every pair of twelve symbols equals the same pairs' views opened one by one: bar for bar, value for
// value, alert for alert, across live refreshes of a real store; its stability figure is the Engle-Granger test of
// the trailing window; its alerts fire once, go to the alert log with their pair; its list is kept in the store.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AlertEvent, coint } from '../../src/analytics';
import { type StoreReader, type StoreWriter, type Tick, openStoreReader, openStoreWriter, readWatchlistFile } from '../../src/store';
import { PairView } from '../../kernel-lib/src/analysis/pairView';
import { openLab } from '../../kernel-lib/src/session/lab';
import { writeSimulatedHistory } from '../../kernel-lib/src/session/simHistory';
import { Watchlist, type WatchlistOptions } from '../../kernel-lib/src/watchlist/watchlist';

const END = Date.UTC(2026, 0, 5, 12, 0, 0);
const OPTIONS: WatchlistOptions = {
  timeframe: '1s', window: 30, hedge: 'ols', hedgeWindow: 120, maxBars: 600,
  stabilityWindow: 300, stabilityEvery: 20, alerts: { zScore: 1.2, minCorrelation: 0.2 },
};

let dir: string;
let reader: StoreReader;
let writer: StoreWriter;
let symbols: string[];
let second = END;
const lastPrice = new Map<string, number>();
const lastId = new Map<string, number>();

/** Writes `seconds` more seconds of trades for every symbol (a few trades each, some seconds skipped) and flushes. */
async function publish(seconds: number): Promise<void> {
  const ticks: Tick[] = [];
  for (let s = 0; s < seconds; s++) {
    for (const [k, symbol] of symbols.entries()) {
      if ((second / 1000 + k) % 7 === 0) continue;
      for (let j = 0; j < 3; j++) {
        const price = lastPrice.get(symbol)! * (1 + Math.sin(second / 1000 + k * 3 + j) * 4e-4);
        lastPrice.set(symbol, price);
        const aggId = lastId.get(symbol)! + 1;
        lastId.set(symbol, aggId);
        ticks.push({ symbol, aggId, tradeTime: second + j * 300, price, qty: 0.5, isBuyerMaker: j % 2 === 0, recvTime: second + j * 300 });
      }
    }
    second += 1000;
  }
  writer.append(ticks);
  await writer.flush();
}

const identical = (a: ArrayLike<number>, b: ArrayLike<number>): boolean => a.length === b.length && Array.from(a).every((v, i) => Object.is(v, b[i]));

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'pairs-lab-watchlist-'));
  const history = await writeSimulatedHistory(dir, { hours: 0.25, end: END, tradesPerSecond: 48, seed: 11 });
  symbols = history.symbols;
  reader = await openStoreReader({ dir });
  for (const symbol of symbols) {
    const bars = await reader.latestBars({ symbol, timeframe: '1s', count: 1 });
    lastPrice.set(symbol, bars.close[0]);
  }
  for (const [symbol, mark] of await reader.highWaterMarks()) lastId.set(symbol, mark.aggId);
  writer = await openStoreWriter({ dir, flushIntervalMs: 0, compactIntervalMs: 0 });
}, 120_000);

afterAll(async () => {
  await writer?.close();
  await reader?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('a watchlist of all 66 pairs of 12 symbols', () => {
  it('equals 66 separately opened pair views bar for bar across refreshes, with the same alerts and the trailing Engle-Granger test', async () => {
    expect(symbols.length).toBe(12);
    const pairs = symbols.flatMap((y, i) => symbols.slice(i + 1).map((x) => ({ y, x })));
    expect(pairs.length).toBe(66);
    const now = () => second;
    const listAlerts: AlertEvent[] = [];
    // the watchlist's store reads are counted: a refresh must be one query for all symbols, not one per pair
    const calls: string[] = [];
    const counted = new Proxy(reader, {
      get: (target, prop, receiver) => {
        const v = Reflect.get(target, prop, receiver) as unknown;
        return typeof v === 'function' ? (...args: unknown[]) => { calls.push(String(prop)); return (v as (...a: unknown[]) => unknown).apply(target, args); } : v;
      },
    });
    const list = await Watchlist.open({ reader: counted, alertSink: async (e) => { listAlerts.push(...e); }, exchangeNow: now }, pairs, OPTIONS);
    const { stability, sparkBars: _s, staleSeconds: _t, stabilityWindow: _w, stabilityEvery: _e, ...viewOptions } = list.options;
    const oneByOne = new Map<string, PairView>();
    const viewAlerts: AlertEvent[] = [];
    for (const p of pairs) {
      oneByOne.set(`${p.y}/${p.x}`, await PairView.load(reader, p.y, p.x, { ...viewOptions, timeframe: '1s' }, async (e) => { viewAlerts.push(...e); }, now));
    }
    let tests = 0;
    for (let step = 0; step < 6; step++) {
      if (step > 0) {
        await publish(step % 2 ? 2 : 25);
        calls.length = 0;
        const r = await list.refresh();
        expect(calls).toEqual(['symbolsBars']);
        for (const v of oneByOne.values()) await v.refresh();
        expect(r.changed.length).toBe(66);
      }
      const rows = list.rows;
      expect(rows.map((r) => r.pair)).toEqual(pairs.map((p) => `${p.y}/${p.x}`));
      for (const row of rows) {
        const mine = list.view(row.pair)!;
        const theirs = oneByOne.get(row.pair)!;
        expect(mine.length).toBe(theirs.length);
        expect(identical(mine.time, theirs.time), `${row.pair} bar times`).toBe(true);
        for (const leg of ['y', 'x'] as const) expect(identical(mine.leg(leg).close, theirs.leg(leg).close), `${row.pair} ${leg} closes`).toBe(true);
        for (const [name, values] of Object.entries(mine.series)) expect(identical(values, theirs.series[name as keyof typeof theirs.series]), `${row.pair} ${name}`).toBe(true);
        expect(mine.metrics).toEqual(theirs.metrics);
        expect(row.bars).toBe(theirs.length);
        expect(row.zScore).toBe(Number.isFinite(theirs.metrics.zScore) ? theirs.metrics.zScore : null);
        expect(row.halfLifeBars).toBe(Number.isFinite(theirs.metrics.halfLifeBars) ? theirs.metrics.halfLifeBars : null);
        expect(row.zHistory).toEqual(Array.from(theirs.series.zScore.subarray(theirs.length - 120), (v) => (Number.isFinite(v) ? v : null)));
        expect(row.status).toBe('live');
        // stability: the latest test is coint(y, x) on the trailing window ending at the tested bar
        const s = row.stability;
        if (s.checks > 0) {
          tests++;
          const i = Array.from(theirs.time).indexOf(s.checkedAt!);
          expect(i).toBeGreaterThanOrEqual(stability.window - 1);
          const w = stability.window;
          const p = coint(theirs.leg('y').close.subarray(i - w + 1, i + 1), theirs.leg('x').close.subarray(i - w + 1, i + 1)).pValue;
          expect(s.pValue).toBe(p);
          if (p < stability.pMax) expect(s.belowSince).toBeLessThanOrEqual(s.checkedAt!);
          else expect(s.belowSince).toBeNull();
        }
      }
    }
    expect(tests).toBeGreaterThan(66);
    const key = (e: AlertEvent) => `${e.pair} ${e.rule} ${e.time} ${e.value}`;
    expect(listAlerts.length).toBeGreaterThan(0);
    expect(listAlerts.map(key).sort()).toEqual(viewAlerts.map(key).sort());
    // the list keeps the newest 500, in firing order
    expect(list.alerts.map(key)).toEqual(listAlerts.slice(-500).map(key));
    // each row's tally is that pair's alerts
    for (const row of list.rows) expect(row.alertCount).toBe(listAlerts.filter((e) => e.pair === row.pair).length);
  }, 240_000);
});

describe('a watchlist opened from a Lab', () => {
  it('keeps its pairs in the store: edits and a new session see the same list; alerts reach the alert log once each', async () => {
    const lab = await openLab({ dataDir: dir });
    // no list stored yet: the default is the universe's best-ranked pairs, and a ranking is kept
    const first = await lab.watchlist(undefined, { ...OPTIONS, count: 5 });
    expect(first.pairs.length).toBe(5);
    const ranked = await lab.scan({ timeframe: '1s', maxBars: 600 });
    expect(first.pairs).toEqual(ranked.rows.slice(0, 5).map((r) => ({ y: r.y, x: r.x })));
    expect(readWatchlistFile(dir)).toEqual(first.pairs);

    const before = (await lab.alerts()).length;
    const firedBefore = first.alerts.length;
    await first.add({ y: symbols[0], x: symbols[11] });
    await expect(first.add({ y: symbols[11], x: symbols[0] })).rejects.toThrow(/already in the list \(a pair is watched once, either way round\)/);
    expect(first.remove(`${first.pairs[0].y}/${first.pairs[0].x}`)).toBe(1);
    const edited = first.pairs;
    expect(readWatchlistFile(dir)).toEqual(edited);
    await publish(30);
    const r = await first.refresh();
    const logged = (await lab.alerts()).slice(before);
    const fired = first.alerts.slice(firedBefore);
    expect(r.alerts.length).toBeGreaterThan(0);
    expect(logged.map((a) => `${a.pair} ${a.rule} ${a.time}`).sort()).toEqual(fired.map((a) => `${a.pair} ${a.rule} ${a.time}`).sort());
    await lab.close();

    // a new session (a kernel restart) opens the same list
    const again = await openLab({ dataDir: dir });
    const reopened = await again.watchlist(undefined, OPTIONS);
    expect(reopened.pairs).toEqual(edited);
    await again.close();
  }, 120_000);

  it('refuses a damaged watchlist file with what is wrong, and leaves the file as it was', async () => {
    const file = path.join(dir, 'watchlist.json');
    writeFileSync(file, '{"pairs":[{"y":"BTCUSDT","x":"BTCUSDT"}]}');
    const lab = await openLab({ dataDir: dir });
    await expect(lab.watchlist()).rejects.toThrow(/watchlist\.json is not a watchlist \(pair 1: y and x are both BTCUSDT; a pair needs two different symbols\); fix it or move it away/);
    await expect(lab.watchlist(['BTCUSDT-ETHUSDT'])).rejects.toThrow(/"BTCUSDT-ETHUSDT" is not a pair: write it as Y\/X/);
    await lab.close();
  });
});
