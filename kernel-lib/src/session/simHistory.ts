// Simulated history: the simulated exchange's market model stepped through hours of clock time in a moment,
// its trades written to a store as ticks. It gives notebooks, tests and benchmarks a day of realistic
// (cointegrated, bursty) data offline. The store is marked as holding simulated trades, as the recorder does.
import { readFile, writeFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { type Clock, defaultPairs, defaultSymbols, systemClock } from '../../../src/feed';
import { SimMarket } from '../../../src/feed/sim/market';
import { type Tick, openStoreWriter } from '../../../src/store';

/** Options of {@link writeSimulatedHistory}. */
export interface SimulatedHistoryOptions {
  /** Default: the simulated exchange's twelve symbols. */
  symbols?: readonly string[];
  /** Hours of market time. Default 24. */
  hours?: number;
  /** End of the history, epoch ms. Default: now, rounded down to the second. */
  end?: number;
  /** Mean trades per second over all symbols. Default 40. */
  tradesPerSecond?: number;
  /** Market time between two market steps (all trades of a step share its time). Default 250 ms. */
  stepMs?: number;
  /** PRNG seed: the same seed gives the same prices. Default 1. */
  seed?: number;
}

/** What {@link writeSimulatedHistory} wrote. */
export interface SimulatedHistory {
  symbols: string[];
  ticks: number;
  from: number;
  to: number;
  simulated: true;
}

/** The file the recorder uses to mark a store as holding simulated or real trades. */
const SOURCE_MARKER = 'recorder-source.json';

async function markSimulated(dataDir: string): Promise<void> {
  const file = path.join(dataDir, SOURCE_MARKER);
  try {
    const marked = JSON.parse(await readFile(file, 'utf8')) as { simulated?: boolean };
    if (marked.simulated !== true) throw new Error(`${dataDir} holds real Binance trades; write simulated history into another directory`);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    await writeFile(file, `${JSON.stringify({ simulated: true, since: new Date().toISOString() })}\n`);
  }
}

/** Writes simulated trades for `hours` of market time ending at `end` into the store in `dataDir`. */
export async function writeSimulatedHistory(dataDir: string, opts: SimulatedHistoryOptions = {}): Promise<SimulatedHistory> {
  const symbols = [...(opts.symbols ?? defaultSymbols)];
  const stepMs = opts.stepMs ?? 250;
  const end = Math.floor((opts.end ?? Date.now()) / 1000) * 1000;
  const from = end - Math.round((opts.hours ?? 24) * 3_600_000);
  await mkdir(dataDir, { recursive: true });
  await markSimulated(dataDir);
  let now = from;
  const clock: Clock = { ...systemClock, now: () => now };
  const market = new SimMarket({
    symbols, pairs: defaultPairs.filter((p) => symbols.includes(p.y) && symbols.includes(p.x)), seed: opts.seed ?? 1, clock,
    tradesPerSecond: opts.tradesPerSecond ?? 40, bursts: true, historyLimit: 1_000,
  });
  const writer = await openStoreWriter({ dir: dataDir, flushIntervalMs: 0, compactIntervalMs: 0 });
  let ticks = 0;
  try {
    let batch: Tick[] = [];
    for (now = from + stepMs; now <= end; now += stepMs) {
      for (const t of market.step()) {
        batch.push({ symbol: t.symbol, aggId: t.aggId, tradeTime: t.time, price: Number(t.price), qty: Number(t.qty), isBuyerMaker: t.isBuyerMaker, recvTime: t.time });
      }
      if (batch.length >= 200_000) {
        ticks += writer.append(batch).accepted;
        batch = [];
        await writer.flush();
      }
    }
    ticks += writer.append(batch).accepted;
    await writer.flush();
    await writer.compact(end + 3_600_000 * 2);
  } finally {
    await writer.close();
  }
  return { symbols, ticks, from, to: end, simulated: true };
}
