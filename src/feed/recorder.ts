// The recorder: feed → store. Validates symbols, records every symbol's aggTrades, detects id gaps against
// the store's high-water marks (start-up, reconnects, rotation) and backfills them through REST, flushes in
// batches with a bounded backlog (it stops reading sockets when the store falls behind), and publishes health.
// Beside trades it records bookTicker, markPrice@1s and funding history (./market-data-recorder.ts).
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { readManifest } from '../store/manifest';
import type { GapRecord, StoreWriterOptions } from '../store/types';
import { Backfiller } from './backfill';
import { Backoff, type BackoffOptions } from './backoff';
import { BinanceFuturesFeed, binanceFuturesRestUrl, binanceFuturesWsUrl, normalizeSymbols, SymbolRefusedError } from './binance-futures';
import { type Clock, systemClock } from './clock';
import { type RecorderHealth, type RecorderState, writeHealthFile } from './health';
import type { RealtimeFeedOptions } from './realtime-feed';
import { BinanceRest } from './rest';
import { ServerClock, type ServerClockOptions } from './server-clock';
import { type SimulatedExchange, type SimulatedExchangeOptions, startSimulatedExchange } from './sim/exchange';
import { type TickOutput, withOutputs } from './outputs';
import { openStoreSink, storesMarketData, type TickSink } from './sink';
import { TickWriter } from './tick-writer';
import { MarketDataRecorder, streamHealth } from './market-data-recorder';
import { type StreamKind, streamKinds } from './streams';
import { type AggTrade, toTick } from './types';
import { defaultSymbols } from './universe';

export type RecorderSource = 'binance' | 'simulated' | { wsUrl: string; restUrl: string; simulated?: boolean };

export interface RecorderOptions {
  dataDir: string;
  /** Default: the twelve-symbol default universe. */
  symbols?: readonly string[];
  /**
   * Streams to record: aggTrade always, markPrice (with funding history) and bookTicker by default when the sink
   * stores market data (the store does), else aggTrade only.
   */
  streams?: readonly StreamKind[];
  /** Funding history fetched at start for a symbol with none stored. Default 30 days. */
  fundingHistoryDays?: number;
  /** Default `binance` (production URLs). `simulated` starts a simulated exchange in this process. */
  source?: RecorderSource;
  /** Options of the simulated exchange when `source` is `simulated`. */
  simulatedExchange?: SimulatedExchangeOptions;
  /** Where ticks go; default the store in `dataDir`. */
  sink?: TickSink;
  /** Outputs that receive every batch once it is durable in the sink (e.g. a stream publisher); closed on stop. */
  outputs?: readonly TickOutput[];
  /** Store writer settings (compaction period, grace) when `sink` is not given. */
  store?: Omit<StoreWriterOptions, 'dir' | 'onError' | 'flushIntervalMs'>;
  clock?: Clock;
  feed?: Omit<RealtimeFeedOptions, 'clock'>;
  rest?: { weightBudget?: number; weightWindowMs?: number; timeoutMs?: number };
  /** Clock-offset checks against GET /fapi/v1/time: samples, interval (default 1 h), warning threshold (default 1 s). */
  serverClock?: Omit<ServerClockOptions, 'rest' | 'clock' | 'log'>;
  /** Receives warnings meant for a person (e.g. a skewed local clock). Default: none; the CLI writes them to its log. */
  log?: (message: string) => void;
  /** Flush to the store this often. Default 250 ms. */
  flushIntervalMs?: number;
  /** Stop reading the feed while this many ticks wait for the store. Default 100,000. */
  maxPendingTicks?: number;
  /** Write `<dataDir>/recorder-health.json` this often; 0 disables. Default 1000 ms. */
  healthIntervalMs?: number;
  /** Retry delays while the exchange is unreachable at start. */
  startBackoff?: BackoffOptions;
}

export interface Recorder {
  readonly dataDir: string;
  readonly symbols: readonly string[];
  /** The stream kinds this recorder records. */
  readonly streams: readonly StreamKind[];
  /** The in-process simulated exchange when `source` is `simulated`. */
  readonly simulatedExchange: SimulatedExchange | null;
  health(): RecorderHealth;
  /** Gaps found in this run and what became of them. */
  gaps(): GapRecord[];
  /** Test and operations hook: drops every feed connection (they reconnect and backfill). */
  dropConnections(): void;
  /** Stops reading, flushes everything received, closes the store. */
  stop(): Promise<void>;
}

const sourceMarker = 'recorder-source.json';

/**
 * Refuses to mix simulated and real trades in one store; marks a new store with its kind. A store marked for one
 * kind that never received a trade (e.g. Binance was out of reach) is re-marked: the marker is about the trades held.
 */
async function claimDataDir(dataDir: string, simulated: boolean): Promise<void> {
  const file = path.join(dataDir, sourceMarker);
  try {
    const marked = JSON.parse(await readFile(file, 'utf8')) as { simulated?: boolean };
    if (marked.simulated !== simulated && !holdsTrades(dataDir)) {
      await writeFile(file, `${JSON.stringify({ simulated, since: new Date().toISOString() })}\n`);
      return;
    }
    if (marked.simulated !== simulated) {
      throw new Error(
        `${dataDir} holds ${marked.simulated ? 'simulated' : 'real Binance'} trades; record ${simulated ? 'simulated' : 'Binance'} trades into another directory (--data), or delete ${dataDir} first`,
      );
    }
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    await writeFile(file, `${JSON.stringify({ simulated, since: new Date().toISOString() })}\n`);
  }
}

function holdsTrades(dataDir: string): boolean {
  const m = readManifest(dataDir);
  return m.files.length > 0 || Object.keys(m.highWaterMarks).length > 0;
}

/**
 * Trades per symbol an in-process simulated exchange keeps for REST backfill: minutes of the busiest symbol at ten
 * times Binance's rate, allocated once (~10 MB for 12 symbols), so the recorder's memory does not creep for hours.
 */
const simulatedHistoryLimit = 20_000;

/** Id jumps backwards this far mean the exchange's ids were reset (e.g. a different simulator), not a duplicate. */
const idResetDistance = 10_000_000;

export async function startRecorder(opts: RecorderOptions): Promise<Recorder> {
  const symbols = normalizeSymbols(opts.symbols ?? defaultSymbols);
  await mkdir(opts.dataDir, { recursive: true });
  const clock = opts.clock ?? systemClock;
  const exchange = opts.source === 'simulated'
    ? await startSimulatedExchange({ symbols, clock, historyLimit: simulatedHistoryLimit, ...opts.simulatedExchange })
    : null;
  const source = exchange
    ? { kind: 'simulated' as const, wsUrl: exchange.wsUrl, restUrl: exchange.restUrl }
    : opts.source === undefined || opts.source === 'binance'
      ? { kind: 'binance' as const, wsUrl: binanceFuturesWsUrl, restUrl: binanceFuturesRestUrl }
      : { kind: 'custom' as const, wsUrl: (opts.source as { wsUrl: string }).wsUrl, restUrl: (opts.source as { restUrl: string }).restUrl };
  const simulated = exchange !== null || (typeof opts.source === 'object' && opts.source.simulated === true);
  try {
    await claimDataDir(opts.dataDir, simulated);
  } catch (err) {
    await exchange?.close();
    throw err;
  }
  let lastError: string | null = null;
  let reportStoreError: (message: string) => void = () => undefined;
  let sink: TickSink;
  try {
    // Hours and days close by trade time, which follows this clock (a simulated one runs ahead in soaks).
    sink = opts.sink ?? (await openStoreSink(opts.dataDir, (err) => reportStoreError(err.message), { now: () => clock.now(), ...opts.store }));
  } catch (err) {
    await Promise.all((opts.outputs ?? []).map((o) => o.close()));
    await exchange?.close();
    throw err;
  }
  const outputs = opts.outputs ?? [];
  if (outputs.length > 0) sink = withOutputs(sink, outputs);
  const rest = new BinanceRest({ baseUrl: source.restUrl, clock, ...opts.rest });
  const serverClock = new ServerClock({ ...opts.serverClock, rest, clock, log: opts.log });
  const feed = new BinanceFuturesFeed({ ...opts.feed, symbols, wsUrl: source.wsUrl, rest, clock });
  const streams = streamKinds.filter((k) => k === 'aggTrade' || (opts.streams ?? (storesMarketData(sink) ? streamKinds : ['aggTrade'])).includes(k));
  if (streams.length > 1 && !storesMarketData(sink)) {
    await sink.close().catch(() => undefined);
    await exchange?.close();
    throw new Error(`this sink stores trades only; record ${streams.filter((k) => k !== 'aggTrade').join(' and ')} into a store (or pass streams: ['aggTrade'])`);
  }
  const lastId = new Map<string, number>([...sink.highWaterMarks()].map(([s, h]) => [s, h.aggId]));
  const openGaps = await sink.openGaps().catch(() => [] as GapRecord[]);

  let state: RecorderState = 'starting';
  const startedAt = Date.now();
  let tradesReceived = 0;
  let duplicatesDropped = 0;
  let stopping = false;
  const backfiller: Backfiller = new Backfiller({
    rest,
    clock,
    deliver: async (trades) => {
      for (const t of trades) writer.push(toTick(t));
      await writer.whenDurable();
    },
    logGaps: (gaps) => sink.appendGaps(gaps),
    onError: (err) => { lastError = `gap log: ${err.message}`; },
  });
  const writer: TickWriter = new TickWriter({
    sink,
    flushIntervalMs: opts.flushIntervalMs ?? 250,
    maxPendingTicks: opts.maxPendingTicks ?? 100_000,
    beforeFlush: () => {
      market?.drain();
      return backfiller.logsWritten();
    },
    now: () => clock.now(),
  });
  const marketSink = storesMarketData(sink) ? sink : null;
  const market: MarketDataRecorder | null = streams.length > 1 && marketSink
    ? new MarketDataRecorder({
      streams,
      symbols,
      wsUrl: source.wsUrl,
      rest,
      clock,
      sink: marketSink,
      feed: opts.feed,
      fundingHistoryDays: opts.fundingHistoryDays,
      maxPendingRows: opts.maxPendingTicks === undefined ? undefined : Math.max(opts.maxPendingTicks, 1000),
      nextFlush: () => writer.whenDurable(),
      onError: (message) => { lastError = message; },
    })
    : null;
  reportStoreError = (message) => writer.reportError(message);
  for (const g of openGaps) if (symbols.includes(g.symbol)) backfiller.resume(g);

  const perSymbol: RecorderHealth['perSymbol'] = Object.fromEntries(symbols.map((s) => [s, { trades: 0, lastAggId: null, lastTradeTime: null }]));

  function onTrade(t: AggTrade): void {
    tradesReceived++;
    const stats = perSymbol[t.symbol];
    if (stats) {
      stats.trades++;
      if (stats.lastAggId === null || t.aggId > stats.lastAggId) {
        stats.lastAggId = t.aggId;
        stats.lastTradeTime = t.tradeTime;
      }
    }
    const last = lastId.get(t.symbol);
    if (last !== undefined && t.aggId <= last && last - t.aggId < idResetDistance) {
      duplicatesDropped++;
      return;
    }
    if (last !== undefined && t.aggId > last + 1) backfiller.add(t.symbol, last + 1, t.aggId - 1);
    lastId.set(t.symbol, t.aggId);
    writer.push(toTick(t));
  }

  async function consume(): Promise<void> {
    let sliceStart = performance.now();
    for await (const t of feed) {
      onTrade(t);
      // Not pulling from the feed lets its queue fill, and the feed then stops reading its sockets.
      await writer.waitForRoom();
      // A queued backlog drains in microtasks, which starve timers and sockets: yield every few ms.
      if (performance.now() - sliceStart > 5) {
        await new Promise<void>((r) => setImmediate(r));
        sliceStart = performance.now();
      }
    }
  }

  function health(): RecorderHealth {
    const f = feed.health();
    const offset = serverClock.offset;
    const rawLatency = f.eventLatency.medianMs;
    const ages = f.connections.map((c) => c.lastMessageAgeMs).filter((a): a is number => a !== null);
    const marketHealth = market?.health() ?? { streams: {}, funding: null };
    return {
      pid: process.pid,
      state,
      simulated,
      source,
      dataDir: opts.dataDir,
      symbols: [...symbols],
      startedAt,
      updatedAt: Date.now(),
      connections: f.connections,
      messagesPerSec: f.messagesPerSec,
      lastMessageAgeMs: ages.length ? Math.min(...ages) : null,
      reconnects: f.connections.reduce((n, c) => n + c.reconnects, 0),
      badFrames: f.badFrames,
      lastErrorFrame: f.lastErrorFrame,
      tradesReceived,
      perSymbol: Object.fromEntries(Object.entries(perSymbol).map(([s, v]) => [s, { ...v }])),
      duplicatesDropped: duplicatesDropped + f.overlapDuplicates,
      rotations: f.rotations,
      gaps: backfiller.health(),
      rest: rest.health(),
      serverClock: serverClock.health(),
      eventLatency: {
        medianMs: rawLatency !== null && offset !== null ? rawLatency + offset : rawLatency,
        uncorrectedMedianMs: rawLatency,
        offsetCorrected: offset !== null,
        samples: f.eventLatency.samples,
      },
      streams: { aggTrade: streamHealth('aggTrade', f, writer.health(f.paused).storedTicks), ...marketHealth.streams },
      funding: marketHealth.funding,
      store: writer.health(f.paused),
      outputs: outputs.map((o) => o.health()),
      memory: memoryHealth(),
      lastError,
    };
  }

  let duckdbMb: number | null = null;
  const sampleDuckdb = (): void => {
    sink.duckdbMemoryBytes?.().then((b) => { duckdbMb = b / 1048576; }, () => undefined);
  };
  const duckdbTimer = sink.duckdbMemoryBytes ? setInterval(sampleDuckdb, 10_000) : null;
  duckdbTimer?.unref();
  function memoryHealth(): RecorderHealth['memory'] {
    const m = process.memoryUsage();
    const round = (bytes: number): number => Math.round(bytes / 104857.6) / 10;
    return { rssMb: round(m.rss), heapUsedMb: round(m.heapUsed), externalMb: round(m.external), duckdbMb: duckdbMb === null ? null : Math.round(duckdbMb * 10) / 10 };
  }

  const writeHealth = (): Promise<void> => writeHealthFile(opts.dataDir, health()).catch((err: unknown) => {
    lastError = `health file: ${err instanceof Error ? err.message : String(err)}`;
  });
  const healthEvery = opts.healthIntervalMs ?? 1_000;
  const healthTimer = healthEvery > 0 ? setInterval(() => void writeHealth(), healthEvery) : null;
  healthTimer?.unref();

  let consumeDone: Promise<void> = Promise.resolve();
  const startAbort = new AbortController();
  function beginRecording(): void {
    state = 'recording';
    lastError = null;
    consumeDone = consume().catch((err: unknown) => { lastError = `feed: ${err instanceof Error ? err.message : String(err)}`; });
    writer.start();
    market?.start().catch((err: unknown) => { lastError = `market data: ${err instanceof Error ? err.message : String(err)}`; });
  }

  async function cleanup(): Promise<void> {
    if (healthTimer) clearInterval(healthTimer);
    if (duckdbTimer) clearInterval(duckdbTimer);
    await serverClock.stop();
    await sink.close().catch(() => undefined);
    await exchange?.close();
  }

  // Runs beside recording: a failed measurement is reported in the health and the log, and retried.
  serverClock.start();
  // The first attempt decides refused symbols at once; an unreachable exchange is retried in the background.
  try {
    await feed.start();
    beginRecording();
  } catch (err) {
    if (err instanceof SymbolRefusedError) {
      state = 'failed';
      lastError = err.message;
      if (healthEvery > 0) await writeHealth();
      await cleanup();
      throw err;
    }
    state = 'waiting_for_exchange';
    lastError = `exchange unreachable (${err instanceof Error ? err.message : String(err)}); retrying`;
    void (async () => {
      const backoff = new Backoff(opts.startBackoff ?? { initialMs: 1_000, maxMs: 30_000, jitter: 0.2 });
      while (!stopping) {
        await clock.sleep(backoff.next(), startAbort.signal).catch(() => undefined);
        if (stopping) return;
        try {
          await feed.start();
          if (stopping) await feed.stop();
          else beginRecording();
          return;
        } catch (e) {
          if (e instanceof SymbolRefusedError) {
            state = 'failed';
            lastError = e.message;
            return;
          }
          lastError = `exchange unreachable (${e instanceof Error ? e.message : String(e)}); retrying`;
        }
      }
    })();
  }
  if (healthEvery > 0) await writeHealth();

  let stopped: Promise<void> | null = null;
  return {
    dataDir: opts.dataDir,
    symbols,
    streams,
    simulatedExchange: exchange,
    health,
    gaps: () => backfiller.gaps(),
    dropConnections: () => {
      feed.dropConnections();
      market?.dropConnections();
    },
    stop() {
      stopped ??= (async () => {
        const wasFailed = state === 'failed';
        state = 'stopping';
        stopping = true;
        startAbort.abort();
        writer.release();
        await backfiller.stop();
        await serverClock.stop();
        await feed.stop();
        await market?.stop();
        await consumeDone;
        await writer.stop();
        if (healthTimer) clearInterval(healthTimer);
        if (duckdbTimer) clearInterval(duckdbTimer);
        await sink.close().catch((err: unknown) => { lastError = `store close: ${err instanceof Error ? err.message : String(err)}`; });
        await exchange?.close();
        state = wasFailed ? 'failed' : 'stopped';
        if (healthEvery > 0) await writeHealth();
      })();
      return stopped;
    },
  };
}
