// The panel handler on real stores: a live session recording from the simulated exchange over loopback, whose
// incremental snapshots rebuild exactly what a fresh full computation gives; and the research requests
// (backtest, parameter search, scan, CSV export, alerts) on imported CSV bars.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { answerPanelRequest, closePanelSession, handlePanelRequest } from '../../kernel-lib/src/panel/handler';
import { openLab } from '../../kernel-lib/src/session/lab';
import { writeSimulatedHistory } from '../../kernel-lib/src/session/simHistory';
import { resolveViewOptions, viewRetention } from '../../kernel-lib/src/analysis/pairView';
import { setDisplaySink, type MimeBundle } from '../../kernel-lib/src/display/emit';
import { REPLY_MIME, type Num, type PairSeries, type PanelReply, type PanelReplyData, type PanelRequest, type PanelRequestKind } from '../../kernel-lib/src/protocol';

const dirs: string[] = [];
const tempDir = (name: string): string => {
  const dir = mkdtempSync(path.join(tmpdir(), `pairs-lab-${name}-`));
  dirs.push(dir);
  return dir;
};
afterAll(async () => {
  await closePanelSession();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** Sends a request and returns its data, failing the test on an error reply. */
async function ok<K extends PanelRequestKind>(request: PanelRequest<K>): Promise<{ data: PanelReplyData[K]; seq?: number }> {
  const reply = await answerPanelRequest(JSON.stringify(request));
  if (!reply.ok) throw new Error(`${request.kind} refused: ${JSON.stringify(reply.error)}`);
  expect(reply.id).toBe(request.id);
  expect(reply.kind).toBe(request.kind);
  return reply as unknown as { data: PanelReplyData[K]; seq?: number };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('live session on the simulated exchange', () => {
  it('records, refreshes incrementally, and the client-side merge equals a fresh full view', async () => {
    const dataDir = tempDir('live');
    const config = await ok({ id: 'init', kind: 'init', dataDir, universe: ['BTCUSDT', 'ETHUSDT'], feed: 'simulated' });
    expect(config.data).toMatchObject({ feed: 'simulated', simulated: true, universe: ['BTCUSDT', 'ETHUSDT'] });
    await sleep(8_000);
    const view = { y: 'BTCUSDT', x: 'ETHUSDT', timeframe: '1s', window: 4, hedge: 'ols', hedgeWindow: 6, alerts: { zScore: 0.5 } } as const;
    const first = await ok({ id: 's1', kind: 'snapshot', ...view });
    expect(first.data.full).toBe(true);
    expect(first.data.health).toMatchObject({ state: 'recording', source: 'simulated', simulated: true });
    expect(first.data.series.time.length).toBeGreaterThanOrEqual(4);

    // The client's copy, updated the way the protocol says: drop points at or after fromTime, append the chunk.
    const client = { time: [...first.data.series.time], z: [...first.data.series.zScore], beta: [...first.data.series.hedgeRatio] };
    let seq = first.seq;
    let incremental = 0;
    for (let i = 0; i < 3; i++) {
      await sleep(1_500);
      if (i === 2) await ok({ id: 'stop', kind: 'setFeedSource', source: 'none' });
      const next = await ok({ id: `s${i + 2}`, kind: 'snapshot', ...view, sinceSeq: seq });
      expect(next.data.full).toBe(false);
      const chunk = next.data.series;
      if (chunk.fromTime !== null) {
        incremental++;
        // Only recent buckets are re-sent: the newest, or a few before it that late trades changed.
        expect(chunk.fromTime).toBeGreaterThanOrEqual(client.time[Math.max(0, client.time.length - 30)]);
        expect(chunk.time.length).toBeLessThan(40);
        const keep = client.time.findIndex((t) => t >= (chunk.fromTime as number));
        const cut = keep < 0 ? client.time.length : keep;
        client.time.splice(cut, Infinity, ...chunk.time);
        client.z.splice(cut, Infinity, ...chunk.zScore);
        client.beta.splice(cut, Infinity, ...chunk.hedgeRatio);
      }
      seq = next.seq;
    }
    expect(incremental).toBeGreaterThanOrEqual(2);

    const lab = await openLab({ dataDir });
    const fresh = await lab.pair('BTCUSDT', 'ETHUSDT', { timeframe: '1s', window: 4, hedge: 'ols', hedgeWindow: 6 });
    expect(client.time).toEqual(Array.from(fresh.time));
    const same = (got: Num[], want: Float64Array) => got.forEach((v, i) => {
      if (Number.isNaN(want[i])) expect(v).toBeNull();
      else expect(v as number).toBeCloseTo(want[i], 6); // replies carry 10 significant digits
    });
    same(client.z, fresh.series.zScore);
    same(client.beta, fresh.series.hedgeRatio);
    await lab.close();

    expect(fresh.series.zScore.filter(Number.isFinite).length).toBeGreaterThan(3);
    // Alerts fired on |z| ≥ 0.5 went to the store's alert log.
    const alerts = await ok({ id: 'al', kind: 'alerts', y: 'BTCUSDT', x: 'ETHUSDT' });
    expect(alerts.data.alerts.length).toBeGreaterThan(0);
    for (const a of alerts.data.alerts) {
      expect(a).toMatchObject({ y: 'BTCUSDT', x: 'ETHUSDT', rule: 'zscore', threshold: 0.5 });
      expect(Math.abs(a.value)).toBeGreaterThanOrEqual(0.5);
    }
    const health = await ok({ id: 'h', kind: 'health' });
    expect(health.data.state).not.toBe('recording');
  }, 60_000);

  it('keeps a live view at maxBars while it drops its oldest bars, and the client-side merge still equals a full view', async () => {
    const dataDir = tempDir('bounded');
    // Three minutes of history up to now, so that a 50-bar view is full from the start and live bars push bars out.
    const history = await writeSimulatedHistory(dataDir, { symbols: ['BTCUSDT', 'ETHUSDT'], hours: 0.05 });
    await ok({ id: 'init', kind: 'init', dataDir, universe: ['BTCUSDT', 'ETHUSDT'], feed: 'simulated' });
    const maxBars = 50;
    const view = { y: 'BTCUSDT', x: 'ETHUSDT', timeframe: '1s', window: 4, hedge: 'ols', hedgeWindow: 6, maxBars } as const;
    const { keepBars, slackBars } = viewRetention(resolveViewOptions(view));
    expect(keepBars).toBe(maxBars);
    const first = await ok({ id: 'b1', kind: 'snapshot', ...view });
    expect(first.data.series.time).toHaveLength(maxBars);

    // The panel's merge (extension/src/model.ts): drop points at or after fromTime, append the chunk, keep the newest maxBars.
    let client = first.data.series;
    const merge = (chunk: PairSeries): PairSeries => {
      if (chunk.fromTime === null) return client;
      const cut = client.time.filter((t) => t < (chunk.fromTime as number)).length;
      const start = Math.max(0, cut + chunk.time.length - maxBars);
      const join = <T>(a: T[], b: T[]): T[] => [...a.slice(0, cut), ...b].slice(start);
      const legs = (a: PairSeries['y'], b: PairSeries['y']): PairSeries['y'] => ({
        open: join(a.open, b.open), high: join(a.high, b.high), low: join(a.low, b.low), close: join(a.close, b.close), volume: join(a.volume, b.volume), filled: join(a.filled, b.filled),
      });
      const time = join(client.time, chunk.time);
      return {
        fromTime: time[0], time, y: legs(client.y, chunk.y), x: legs(client.x, chunk.x), hedgeRatio: join(client.hedgeRatio, chunk.hedgeRatio),
        intercept: join(client.intercept, chunk.intercept), spread: join(client.spread, chunk.spread), zScore: join(client.zScore, chunk.zScore), correlation: join(client.correlation, chunk.correlation),
      };
    };
    let seq = first.seq;
    const shown = (series: PairSeries) => series.time.length;
    // The view held 50 bars; past keepBars + slackBars new ones it must have dropped its oldest at least once.
    const newestAtLoad = first.data.series.time[maxBars - 1];
    for (let i = 0; i < 40 && client.time[client.time.length - 1] - newestAtLoad <= (slackBars + 3) * 1_000; i++) {
      await sleep(1_000);
      const next = await ok({ id: `b${i + 2}`, kind: 'snapshot', ...view, sinceSeq: seq });
      expect(next.data.full).toBe(false);
      expect(next.data.metrics.bars).toBe(maxBars);
      client = merge(next.data.series);
      expect(shown(client)).toBe(maxBars);
      seq = next.seq;
    }
    expect(client.time[client.time.length - 1] - newestAtLoad).toBeGreaterThan((slackBars + 3) * 1_000);

    await ok({ id: 'stop', kind: 'setFeedSource', source: 'none' });
    // The store's range of each symbol: from the history's first trades to the live ones just recorded.
    const symbols = await ok({ id: 'sym', kind: 'symbols' });
    expect(symbols.data.symbols.map((s) => s.symbol)).toEqual(['BTCUSDT', 'ETHUSDT']);
    for (const s of symbols.data.symbols) {
      expect(s.first).toBeGreaterThanOrEqual(history.from);
      expect(s.first).toBeLessThan(history.from + 5_000);
      expect(s.last).toBeGreaterThan(history.to);
    }
    const last = await ok({ id: 'b-last', kind: 'snapshot', ...view, sinceSeq: seq });
    expect(last.data.full).toBe(false);
    client = merge(last.data.series);
    // A full reply of the same view, and a view freshly loaded from the store, show what the client holds.
    const full = await ok({ id: 'b-full', kind: 'snapshot', ...view });
    expect(full.data.full).toBe(true);
    expect(full.seq).toBe(last.seq);
    expect(client).toEqual(full.data.series);
    const lab = await openLab({ dataDir });
    const fresh = await lab.pair('BTCUSDT', 'ETHUSDT', view);
    await lab.close();
    expect(client.time).toEqual(Array.from(fresh.time));
    expect(client.y.close).toEqual(Array.from(fresh.leg('y').close));
    // The live view kept the history its windows read, so it has values where a fresh view is still warming up.
    const z = fresh.series.zScore;
    expect(client.zScore[0]).not.toBeNull();
    expect(z[0]).toBeNaN();
    client.zScore.forEach((v, i) => { if (Number.isFinite(z[i])) expect(v as number).toBeCloseTo(z[i], 6); });
    expect(z.filter(Number.isFinite).length).toBeGreaterThan(maxBars - 10);
  }, 90_000);
});

describe('research requests on imported CSV bars', () => {
  const pair = { y: 'ALPHAUSDT', x: 'BETAUSDT', timeframe: '1m', window: 60, hedge: 'huber', hedgeWindow: 480 } as const;

  it('imports, backtests, searches, scans and exports', async () => {
    await ok({ id: 'init', kind: 'init', dataDir: tempDir('research') });
    const csv = readFileSync(path.join(__dirname, '..', '..', 'notebooks', 'data', 'sample-bars-1m.csv'), 'utf8');
    const imported = await ok({ id: 'csv', kind: 'importCsv', text: csv, timeframe: '1m' });
    expect(imported.data).toMatchObject({ rows: 4320, symbols: ['ALPHAUSDT', 'BETAUSDT', 'GAMMAUSDT'] });
    const config = await ok({ id: 'cfg', kind: 'config' });
    expect(config.data.universe).toEqual(['ALPHAUSDT', 'BETAUSDT', 'GAMMAUSDT']);
    // Each symbol's range is its first and last uploaded bar.
    const rows = csv.trim().split('\n').slice(1).map((line) => line.split(','));
    const span = (symbol: string) => {
      const times = rows.filter((r) => r[1] === symbol).map((r) => Date.parse(r[0]));
      return { symbol, first: Math.min(...times), last: Math.max(...times) };
    };
    const symbols = await ok({ id: 'sym', kind: 'symbols' });
    expect(symbols.data.symbols).toEqual(['ALPHAUSDT', 'BETAUSDT', 'GAMMAUSDT'].map(span));

    // Opening a view reports no historical alerts, only what its newest bar fires.
    const snap = await ok({ id: 'snap', kind: 'snapshot', ...pair, alerts: { zScore: 2.5, minCorrelation: 0.85 } });
    const lastTime = snap.data.metrics.lastTime as number;
    const opened = await ok({ id: 'log0', kind: 'alerts', y: 'ALPHAUSDT', x: 'BETAUSDT' });
    for (const a of opened.data.alerts) expect(a.time).toBeGreaterThan(lastTime);
    // New rules on the open view: the same view answers incrementally, and the log still holds no history.
    const retuned = await ok({ id: 'snap2', kind: 'snapshot', ...pair, alerts: { zScore: 0.1, minCorrelation: 0.99 }, maxLag: 5, sinceSeq: snap.seq });
    expect(retuned.data.full).toBe(false);
    expect(retuned.data.crossCorrelation.lags).toEqual([-5, -4, -3, -2, -1, 0, 1, 2, 3, 4, 5]);
    const retunedLog = await ok({ id: 'log1', kind: 'alerts', y: 'ALPHAUSDT', x: 'BETAUSDT' });
    for (const a of retunedLog.data.alerts) expect(a.time).toBeGreaterThan(lastTime);

    const bt = await ok({ id: 'bt', kind: 'backtest', ...pair, entry: 2, exit: 0.5, stop: 4 });
    expect(bt.data.time).toHaveLength(1440);
    expect(bt.data.equity).toHaveLength(1440);
    expect(bt.data.trades.length).toBe(bt.data.metrics.trades);
    expect(bt.data.trades.length).toBeGreaterThan(5);
    const pnl = bt.data.trades.reduce((s, t) => s + t.pnl, 0);
    expect(bt.data.metrics.finalEquity).toBeCloseTo(10_000 + pnl, 6);
    expect(Math.min(...bt.data.drawdown.map((d) => d ?? 0))).toBeCloseTo(-(bt.data.metrics.maxDrawdown ?? NaN), 9);
    // imported bars come with no recorded quotes or funding: the bar-price cost model, said in the reply
    expect(bt.data.costModel).toMatchObject({ funding: 'none', fills: 'bars' });
    expect(bt.data.costModel.note).toContain('fills at bar prices + 1 bps slippage');
    expect(bt.data.costs.fees).toBeCloseTo(bt.data.trades.reduce((s, t) => s + t.fees, 0), 6);
    expect(bt.data.costs.spread).toBe(0);
    expect(bt.data.costs.slippage).toBeGreaterThan(0);

    const search = await ok({ id: 'ps', kind: 'paramSearch', ...pair, grid: { entry: [1.5, 2, 3], exit: [0, 0.5], window: [30, 60] }, validation: { mode: 'trainTest', trainFraction: 0.6 } });
    expect(search.data.rows).toHaveLength(12);
    expect(search.data.heatmap.x).toEqual([1.5, 2, 3]);
    expect(search.data.heatmap.y).toEqual([0, 0.5]);
    const oos = search.data.rows.map((r) => r.outOfSample.sharpe ?? -Infinity);
    expect(oos).toEqual([...oos].sort((a, b) => b - a));

    const scan = await ok({ id: 'scan', kind: 'scan', timeframe: '1m' });
    expect(scan.data.rows).toHaveLength(3);
    expect([scan.data.rows[0].y, scan.data.rows[0].x].sort()).toEqual(['ALPHAUSDT', 'BETAUSDT']);
    expect(scan.data.rows[0].cointPValue).toBeLessThan(0.01);

    const analytics = await ok({ id: 'ex1', kind: 'exportCsv', ...pair, what: 'analytics' });
    const lines = analytics.data.text.trim().split('\n');
    expect(lines[0]).toBe('timestamp,ALPHAUSDT_close,BETAUSDT_close,hedge_ratio,intercept,spread,z_score,correlation');
    expect(lines).toHaveLength(1441);
    expect(analytics.data.fileName).toMatch(/^ALPHAUSDT-BETAUSDT-1m-analytics-.*\.csv$/);
    const trades = await ok({ id: 'ex2', kind: 'exportCsv', ...pair, what: 'trades', entry: 2, exit: 0.5, stop: 4 });
    expect(trades.data.rows).toBe(bt.data.trades.length);
    expect(trades.data.text.trim().split('\n')).toHaveLength(bt.data.trades.length + 1);
  }, 60_000);

  it('refreshes a view when later bars are imported, firing and logging alerts for the new bars only', async () => {
    await ok({ id: 'init', kind: 'init', dataDir: tempDir('uploads') });
    const [header, ...rows] = readFileSync(path.join(__dirname, '..', '..', 'notebooks', 'data', 'sample-bars-1m.csv'), 'utf8').trim().split('\n');
    const cut = '2026-01-05T16:40';
    const part = (keep: (r: string) => boolean) => `${[header, ...rows.filter(keep)].join('\n')}\n`;
    await ok({ id: 'csv1', kind: 'importCsv', text: part((r) => r.slice(0, 16) < cut), timeframe: '1m' });
    const request = { ...pair, alerts: { zScore: 2 } };
    const first = await ok({ id: 's1', kind: 'snapshot', ...request });
    expect(first.data.series.time).toHaveLength(1000);
    await ok({ id: 'csv2', kind: 'importCsv', text: part((r) => r.slice(0, 16) >= cut), timeframe: '1m' });
    const next = await ok({ id: 's2', kind: 'snapshot', ...request, sinceSeq: first.seq });
    expect(next.data.full).toBe(false);
    expect(next.data.series.fromTime).toBe(first.data.series.time[999]);
    expect(next.data.series.time).toHaveLength(441);
    // Alerts fired exactly where |z| crossed 2 among the new bars (times are bar closes), newest first.
    const z = next.data.series.zScore;
    const crossings = next.data.series.time.filter((_, i) => i > 0 && Math.abs(z[i] ?? 0) >= 2 && Math.abs(z[i - 1] ?? 0) < 1.8).map((t) => t + 60_000);
    expect(crossings.length).toBeGreaterThan(0);
    const fired = next.data.alerts.map((a) => a.time);
    expect(fired).toEqual([...fired].sort((p, q) => q - p));
    for (const t of crossings) expect(fired).toContain(t);
    for (const a of next.data.alerts) expect(Math.abs(a.value)).toBeGreaterThanOrEqual(2);
    const log = await ok({ id: 'log', kind: 'alerts', y: 'ALPHAUSDT', x: 'BETAUSDT' });
    expect(log.data.alerts.map((a) => a.time).sort()).toEqual([...fired].sort());
  });

  it('displays exactly one reply bundle per request and returns nothing', async () => {
    const shown: MimeBundle[] = [];
    setDisplaySink((bundle) => shown.push(bundle));
    try {
      const returned = await handlePanelRequest(JSON.stringify({ id: 'one', kind: 'config' }));
      const refused = await handlePanelRequest('not json');
      expect(returned).toBeUndefined();
      expect(refused).toBeUndefined();
      expect(shown).toHaveLength(2);
      for (const bundle of shown) expect(Object.keys(bundle)).toEqual([REPLY_MIME]);
      expect((shown[0][REPLY_MIME] as PanelReply).ok).toBe(true);
      expect((shown[1][REPLY_MIME] as PanelReply).ok).toBe(false);
    } finally {
      setDisplaySink(undefined);
    }
  });
});
