// A paper book in a kernel process that is SIGKILLed in the middle of a simulated hour and started again: the new
// process resumes the book from its journal, trades the bars that closed while no kernel ran at the quotes recorded
// then, and the book ends equal to one backtest over the recorded bars, quotes and funding: nothing lost or doubled.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { backtestPair } from '../../src/backtest';
import { acceleratedClock } from '../../src/feed/clock';
import { type Recorder, startRecorder } from '../../src/feed/recorder';
import { checkPaperEvents, foldBook, type PaperEvent } from '../../src/paper';
import { openStoreReader, readPaperJournal } from '../../src/store';
import { recordedCosts } from '../../kernel-lib/src/analysis/recordedCosts';
import { waitFor } from '../feed/helpers';

const MIN = 60_000;
const SPEED = 240;
const SIM_START = Date.UTC(2026, 11, 3, 7, 0); // the hour holds the 08:00 funding settlement
const BOOK = 'kill-test';
const kernelLib = path.resolve('dist/kernel-lib/src/index.js');

// What the kernel runs: the notebook API, exactly as a cell would call it.
const KERNEL = `
import { renameSync, writeFileSync } from 'node:fs';
const [lib, dataDir, startAt, statusFile] = process.argv.slice(2);
const pl = await import(lib);
const lab = await pl.openLab({ dataDir });
const view = await lab.pair('ETHUSDT', 'BTCUSDT', { timeframe: '1m', window: 10, hedge: 'ols', hedgeWindow: 20 });
const book = await view.paperTrade({ entry: 1, exit: 0.2 }, { name: '${BOOK}', everyMs: 100, startAt: Number(startAt) });
setInterval(() => {
  const s = book.status();
  writeFileSync(statusFile + '.tmp', JSON.stringify({ pid: process.pid, closedUntil: s.closedUntil, waiting: s.waiting, diverged: s.diverged, error: s.error, steppedAt: s.steppedAt }));
  renameSync(statusFile + '.tmp', statusFile);
}, 50);
`;

interface KernelStatus { pid: number; closedUntil: number | null; waiting: string | null; diverged: string | null; error: string | null; steppedAt: number | null }

describe('a paper book across a SIGKILL of its kernel', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'paper-kill-'));
  const script = path.join(dir, 'kernel.mjs');
  const statusFile = path.join(dir, 'kernel-status.json');
  let recorder: Recorder | undefined;
  let kernel: ChildProcess | undefined;
  afterAll(async () => {
    kernel?.kill('SIGKILL');
    await recorder?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const status = (): KernelStatus | null => (existsSync(statusFile) ? JSON.parse(readFileSync(statusFile, 'utf8')) as KernelStatus : null);
  const journal = (): PaperEvent[] => checkPaperEvents(readPaperJournal(dir, BOOK), BOOK);
  function startKernel(startAt: number): ChildProcess {
    rmSync(statusFile, { force: true });
    const child = spawn(process.execPath, [script, kernelLib, dir, String(startAt), statusFile], { stdio: ['ignore', 'inherit', 'inherit'] });
    kernel = child;
    return child;
  }

  it('resumes the book with nothing lost or doubled, equal to a backtest over the recorded data', async () => {
    writeFileSync(script, KERNEL);
    const clock = acceleratedClock(SPEED, SIM_START);
    recorder = await startRecorder({
      dataDir: dir, symbols: ['BTCUSDT', 'ETHUSDT'], source: 'simulated', clock, healthIntervalMs: 0, fundingHistoryDays: 1,
      simulatedExchange: { tradesPerSecond: 2, quotesPerSecond: 2, bursts: false, pongTimeoutMs: 3_600_000 },
      feed: { staleTimeoutMs: 3_600_000 },
    });
    const r = recorder;
    const simNow = () => clock.now();
    // half an hour of history before the book starts (its hedge ratio and z need 30 bars)
    const startAt = SIM_START + 30 * MIN;
    await waitFor(() => simNow() >= startAt, 30_000, 'history recorded');
    const first = startKernel(startAt);
    await waitFor(() => (status()?.closedUntil ?? 0) >= startAt + 5 * MIN, 30_000, 'the first kernel trading');
    await waitFor(() => journal().some((e) => e.kind === 'fill') || simNow() > startAt + 25 * MIN, 30_000, 'a fill');
    first.kill('SIGKILL');
    await new Promise((res) => first.once('exit', res));
    const killedAt = simNow();
    const eventsAtKill = journal().length;
    // ten simulated minutes without a kernel
    await waitFor(() => simNow() >= killedAt + 10 * MIN, 30_000, 'time passing with no kernel');
    const second = startKernel(startAt);
    const end = startAt + 70 * MIN;
    await waitFor(() => simNow() >= end, 60_000, 'the hour');
    await r.stop();
    recorder = undefined;
    // the book has taken every bar the store closed, with nothing waiting
    const reader = await openStoreReader({ dir });
    const marks = await reader.highWaterMarks();
    const closedUntil = Math.floor(Math.min(...['BTCUSDT', 'ETHUSDT'].map((s) => marks.get(s)?.tradeTime ?? 0)) / MIN) * MIN;
    await waitFor(() => status()?.closedUntil === closedUntil && (status()?.steppedAt ?? 0) > Date.now() - 500, 20_000, 'the second kernel caught up');
    second.kill('SIGTERM');
    await new Promise((res) => second.once('exit', res));

    const events = journal();
    const book = foldBook(events);
    expect(status()?.diverged ?? null).toBeNull();
    expect(status()?.error ?? null).toBeNull();
    expect(eventsAtKill).toBeGreaterThan(1);
    expect(events.length).toBeGreaterThan(eventsAtKill);
    // each order and each funding settlement once, each order filled once
    const ids = events.filter((e) => e.kind === 'order' || e.kind === 'funding').map((e) => (e as { id: string }).id);
    expect(ids.length).toBe(new Set(ids).size);
    const fills = events.filter((e) => e.kind === 'fill').map((e) => (e as { id: string }).id);
    expect(fills.length).toBe(new Set(fills).size);

    const spec = book.spec;
    const bars = await reader.pairBars({ y: spec.y, x: spec.x, timeframe: spec.timeframe, from: spec.historyFrom, to: closedUntil });
    const pair = { time: bars.y.time, yOpen: bars.y.open, yClose: bars.y.close, xOpen: bars.x.open, xClose: bars.x.close, barMs: MIN };
    const costs = await recordedCosts(reader, { y: spec.y, x: spec.x }, pair.time, MIN, {}, spec.execution.slippageBps);
    await reader.close();
    const startBar = pair.time.findIndex((t) => t >= spec.startAt);
    const bt = backtestPair(pair, spec.strategy, { ...costs.options, execution: spec.execution, start: startBar });
    const closed = bt.trades.filter((t) => t.exitReason !== 'end');
    // the backtest's bars end at the last closed bar: an exit the book filled at its end is still open there
    const lastBar = pair.time[pair.time.length - 1];
    const paper = book.trades.filter((t) => t.exitTime !== null && t.exitTime <= lastBar);
    process.stderr.write(`[paper-kill] ${closed.length} closed trades equal the backtest's; ${book.funding.length} funding payments; ${eventsAtKill} journal events at the kill, ${events.length} at the end; ${costs.options.quotes ? 'quote fills' : 'bar fills'}\n`);
    expect(closed.length).toBeGreaterThan(2);
    expect(costs.fills).toBe('quotes');
    // the 08:00 settlement was recorded, and paid on both legs exactly when the book held a position then
    expect(costs.funding).toBe('recorded');
    const settlement = Date.UTC(2026, 11, 3, 8);
    const held = book.trades.some((t) => t.entryTime < settlement && (t.exitTime === null || settlement <= t.exitTime));
    expect(book.funding.map((f) => f.time)).toEqual(held ? [settlement, settlement] : []);
    expect(paper.map((t) => [t.side, t.entryTime, t.exitTime, t.exitReason])).toEqual(closed.map((t) => [t.side, t.entryTime, t.exitTime, t.exitReason]));
    const near = (a: number, b: number) => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b));
    paper.forEach((p, i) => {
      const t = closed[i];
      for (const [name, a, b] of [['qtyY', p.qtyY, t.qtyY], ['entryY', p.entryPriceY, t.entryPriceY], ['exitX', p.exitPriceX, t.exitPriceX], ['fees', p.fees, t.fees],
        ['spread', p.spreadCost, t.spreadCost ?? NaN], ['funding', p.funding, t.funding], ['pnl', p.pnl, t.pnl]] as Array<[string, number, number]>) {
        expect(near(a, b), `trade ${i} ${name}: paper ${a}, backtest ${b}`).toBe(true);
      }
    });
    // the trade the backtest closes at its end is the book's newest trade (the engine enters no later than two bars
    // before its end; the book may have entered at the last two closes)
    const open = bt.trades.find((t) => t.exitReason === 'end');
    const newest = book.trades.at(-1);
    if (open !== undefined) expect(book.trades.find((t) => t.entryTime === open.entryTime)).toBeDefined();
    else if (newest !== undefined && !paper.includes(newest)) expect(newest.entryTime).toBeGreaterThanOrEqual(pair.time[pair.time.length - 2]);
  }, 180_000);
});
