// The panel's `watchlist` request on a real store: incremental replies, merged the way the panel merges them, rebuild
// exactly the rows a full reply gives; edits are applied and kept; alerts come once, with the reply that saw them;
// bad edits are refused with the field named; the on-screen pair of a watched pair does not log its alerts twice.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type StoreWriter, type Tick, openStoreReader, openStoreWriter, readWatchlistFile } from '../../src/store';
import { answerPanelRequest, closePanelSession } from '../../kernel-lib/src/panel/handler';
import { writeSimulatedHistory } from '../../kernel-lib/src/session/simHistory';
import type { PanelReplyData, PanelRequest, PanelRequestKind, WatchRowData } from '../../kernel-lib/src/protocol';
import { mergeWatchlist } from '../../extension/src/watchlistMerge';

const END = Date.UTC(2026, 0, 5, 12, 0, 0);
let dir: string;
let writer: StoreWriter;
let symbols: string[];
let second = END + 1000;
const price = new Map<string, number>();
const lastId = new Map<string, number>();

async function publish(seconds: number): Promise<void> {
  const ticks: Tick[] = [];
  for (let s = 0; s < seconds; s++, second += 1000) {
    for (const [k, symbol] of symbols.entries()) {
      for (let j = 0; j < 2; j++) {
        const p = price.get(symbol)! * (1 + Math.sin(second / 700 + k * 5 + j) * 6e-4);
        price.set(symbol, p);
        lastId.set(symbol, lastId.get(symbol)! + 1);
        ticks.push({ symbol, aggId: lastId.get(symbol)!, tradeTime: second + j * 400, price: p, qty: 0.2, isBuyerMaker: j === 0, recvTime: second + j * 400 });
      }
    }
  }
  writer.append(ticks);
  await writer.flush();
}

async function ok<K extends PanelRequestKind>(request: PanelRequest<K>): Promise<{ data: PanelReplyData[K]; seq?: number }> {
  const reply = await answerPanelRequest(JSON.stringify(request));
  if (!reply.ok) throw new Error(`${request.kind} refused: ${JSON.stringify(reply.error)}`);
  return reply as unknown as { data: PanelReplyData[K]; seq?: number };
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'pairs-lab-watchlist-replies-'));
  symbols = (await writeSimulatedHistory(dir, { hours: 0.2, end: END, tradesPerSecond: 48, seed: 4 })).symbols;
  const reader = await openStoreReader({ dir });
  for (const s of symbols) price.set(s, (await reader.latestBars({ symbol: s, timeframe: '1s', count: 1 })).close[0]);
  for (const [s, m] of await reader.highWaterMarks()) lastId.set(s, m.aggId);
  await reader.close();
  writer = await openStoreWriter({ dir, flushIntervalMs: 0, compactIntervalMs: 0 });
  await ok({ id: 'init', kind: 'init', dataDir: dir, universe: symbols });
}, 120_000);

afterAll(async () => {
  await closePanelSession();
  await writer?.close();
  rmSync(dir, { recursive: true, force: true });
});

const SETTINGS = { timeframe: '1s', window: 30, hedge: 'ols', hedgeWindow: 120, alerts: { zScore: 1.5 } } as const;

describe('the watchlist request', () => {
  it('merges incremental replies into exactly the rows of a full reply, applies and keeps edits, and sends each alert once', async () => {
    const first = await ok({ id: 'w0', kind: 'watchlist', ...SETTINGS });
    expect(first.data.full).toBe(true);
    // a store without a kept list starts from the universe's 10 best-ranked pairs, and keeps them
    expect(first.data.pairs.length).toBe(10);
    expect(readWatchlistFile(dir)?.map((p) => `${p.y}/${p.x}`)).toEqual(first.data.pairs);
    const all = symbols.flatMap((y, i) => symbols.slice(i + 1).map((x) => ({ y, x })));
    const watched = new Set(first.data.pairs.map((p) => p.split('/').sort().join('/')));
    const added = all.filter((p) => !watched.has([p.y, p.x].sort().join('/')));
    let rows = mergeWatchlist(new Map(), first.data, 1000);
    let seq = first.seq!;
    const alertsSeen: string[] = [];
    let incrementalBytes = 0;
    let fullBytes = 0;
    for (let step = 0; step < 5; step++) {
      await publish(step === 0 ? 40 : 2);
      // the second step adds the other 56 pairs and removes one: 65 watched
      const edits = step === 1 ? { add: added, remove: [first.data.pairs[0]] } : {};
      const next = await ok({ id: `w${step + 1}`, kind: 'watchlist', ...SETTINGS, ...edits, sinceSeq: seq });
      expect(next.data.full).toBe(false);
      incrementalBytes = JSON.stringify(next).length;
      rows = mergeWatchlist(rows, next.data, 1000);
      alertsSeen.push(...next.data.alerts.map((a) => `${a.y}/${a.x} ${a.rule} ${a.time}`));
      // a full reply right after (no new trades in between) is what the client must now hold
      const full = await ok({ id: `f${step + 1}`, kind: 'watchlist', ...SETTINGS });
      expect(full.data.full).toBe(true);
      fullBytes = JSON.stringify(full).length;
      expect([...rows.keys()]).toEqual(full.data.pairs);
      for (const r of full.data.rows as WatchRowData[]) expect(rows.get(r.pair), r.pair).toEqual(r);
      seq = full.seq!;
    }
    expect(rows.size).toBe(65);
    expect(readWatchlistFile(dir)?.length).toBe(65);
    expect(incrementalBytes).toBeLessThan(fullBytes / 3);
    // each alert the watchlist logged reached the client once
    const reader = await openStoreReader({ dir });
    const logged = (await reader.alerts()).filter((a) => a.time > END).map((a) => `${a.pair} ${a.rule} ${a.time}`);
    await reader.close();
    expect(alertsSeen.length).toBeGreaterThan(0);
    expect(new Set(alertsSeen).size).toBe(alertsSeen.length);
    for (const a of alertsSeen) expect(logged).toContain(a);
  }, 180_000);

  it('does not log a watched pair\'s alerts twice when the pair is also on screen', async () => {
    const often = { ...SETTINGS, alerts: { zScore: 0.2 } };
    const w = await ok({ id: 'a0', kind: 'watchlist', ...often });
    const [y, x] = w.data.pairs[0].split('/');
    await ok({ id: 's0', kind: 'snapshot', y, x, ...often });
    await publish(60);
    const s = await ok({ id: 's1', kind: 'snapshot', y, x, ...often });
    await ok({ id: 'a1', kind: 'watchlist', ...often });
    const reader = await openStoreReader({ dir });
    const mine = (await reader.alerts({ pair: `${y}/${x}`, from: END + 50_000 })).map((a) => `${a.rule} ${a.time}`);
    await reader.close();
    expect(mine.length).toBeGreaterThan(0);
    expect(new Set(mine).size).toBe(mine.length);
    expect(s.data.series.time.length).toBeGreaterThan(0);
  }, 60_000);

  it('refuses a pair of one symbol and a malformed pair name, naming the field', async () => {
    const a = await answerPanelRequest(JSON.stringify({ id: 'b1', kind: 'watchlist', ...SETTINGS, add: [{ y: symbols[0], x: symbols[0] }] }));
    expect(a).toMatchObject({ ok: false, error: { field: 'add[0].x', message: `add[0].x must differ from y (both are ${symbols[0]})` } });
    const b = await answerPanelRequest(JSON.stringify({ id: 'b2', kind: 'watchlist', ...SETTINGS, remove: ['BTCUSDT-ETHUSDT'] }));
    expect(b).toMatchObject({ ok: false, error: { field: 'remove[0]' } });
    expect(JSON.stringify(b)).toMatch(/a watched pair written Y\/X/);
  });
});
