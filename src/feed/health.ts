// The recorder's health snapshot: built in the recorder, written atomically to
// `<dataDir>/recorder-health.json` every second, and read by the panel and the CLI from other processes.
import { readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { BackfillHealth } from './backfill';
import type { FundingHistoryHealth } from './funding-history';
import type { StreamKind } from './streams';
import type { OutputHealth } from './outputs';
import type { RestHealth } from './rest';
import type { ServerClockHealth } from './server-clock';
import type { BadFrameReason, ConnectionHealth } from './types';

export const healthFileName = 'recorder-health.json';

export type RecorderState = 'starting' | 'waiting_for_exchange' | 'recording' | 'stopping' | 'stopped' | 'failed';

export interface StoreHealth {
  /** Age of the oldest received tick not yet durable (0 when everything is flushed). */
  lagMs: number;
  /** Ticks given to the store since its last completed flush. */
  pendingTicks: number;
  storedTicks: number;
  lastFlushAt: number | null;
  lastFlushMs: number | null;
  flushErrors: number;
  /** True while the recorder stopped reading because the store fell behind. */
  backpressure: boolean;
  lastError: string | null;
}

/** The recorder process's memory, in MiB: resident set, V8 heap, memory outside it, and DuckDB's share of that. */
export interface RecorderMemory {
  rssMb: number;
  heapUsedMb: number;
  externalMb: number;
  /** What the store's DuckDB instances hold (sampled every 10 s); null before the first sample or without a store. */
  duckdbMb: number | null;
}

/** Receive time minus exchange event time `E` over the most recent live trades: network and exchange delay. */
export interface RecorderEventLatency {
  /** Median, corrected by the measured clock offset when there is one; null before the first trade. */
  medianMs: number | null;
  /** The same median in raw local time, off by the clock offset. */
  uncorrectedMedianMs: number | null;
  /** False until the clock offset has been measured: `medianMs` is then the raw figure. */
  offsetCorrected: boolean;
  samples: number;
}

/** One stream kind's connections and counts (aggTrade, markPrice, bookTicker each run on connections of their own). */
export interface StreamHealth {
  kind: StreamKind;
  connections: ConnectionHealth[];
  messagesPerSec: number;
  lastMessageAgeMs: number | null;
  reconnects: number;
  staleReplacements: number;
  /** Events received this run (after the rotation overlap's duplicates were dropped). */
  events: number;
  /** Events the store accepted (it drops any already stored). */
  stored: number;
  badFrames: Record<BadFrameReason, number>;
  lastErrorFrame: string | null;
  duplicatesDropped: number;
  rotations: number;
  paused: boolean;
}

export interface RecorderHealth {
  pid: number;
  state: RecorderState;
  /** True when the data comes from the simulated exchange, never from Binance. */
  simulated: boolean;
  source: { kind: 'binance' | 'simulated' | 'custom'; wsUrl: string; restUrl: string };
  dataDir: string;
  symbols: string[];
  startedAt: number;
  updatedAt: number;
  connections: ConnectionHealth[];
  messagesPerSec: number;
  lastMessageAgeMs: number | null;
  reconnects: number;
  badFrames: Record<BadFrameReason, number>;
  lastErrorFrame: string | null;
  tradesReceived: number;
  /** Per symbol: live trades received this run, the newest aggId and its trade time (null before the first). */
  perSymbol: Record<string, { trades: number; lastAggId: number | null; lastTradeTime: number | null }>;
  duplicatesDropped: number;
  rotations: number;
  gaps: BackfillHealth;
  rest: RestHealth;
  /** The local clock's offset from the exchange's (GET /fapi/v1/time), with a warning flag. */
  serverClock: ServerClockHealth;
  eventLatency: RecorderEventLatency;
  store: StoreHealth;
  /** Per recorded stream kind (the top-level connection and bad-frame fields above are aggTrade's). */
  streams: Partial<Record<StreamKind, StreamHealth>>;
  /** Funding history from GET /fapi/v1/fundingRate; null when markPrice is not recorded. */
  funding: FundingHistoryHealth | null;
  /** Outputs beside the store (e.g. the tick stream): queued, sent, dropped ticks. Empty without any. */
  outputs: OutputHealth[];
  memory: RecorderMemory;
  /** Why the recorder is not recording, in words (unreachable exchange, refused symbols, store error). */
  lastError: string | null;
}

export interface RecorderHealthReading extends RecorderHealth {
  /** How old the snapshot is; above a few seconds the recorder is not running. */
  ageMs: number;
  running: boolean;
}

export async function writeHealthFile(dataDir: string, health: RecorderHealth): Promise<void> {
  const file = path.join(dataDir, healthFileName);
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, `${JSON.stringify(health, null, 1)}\n`);
  await rename(tmp, file);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * The last health snapshot of the recorder writing to `dataDir`, or null when none ever ran there.
 * `running` is false when the snapshot is older than `staleAfterMs` or its process is gone.
 */
export async function readRecorderHealth(dataDir: string, staleAfterMs = 5_000): Promise<RecorderHealthReading | null> {
  let text: string;
  try {
    text = await readFile(path.join(dataDir, healthFileName), 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
  const h = JSON.parse(text) as RecorderHealth;
  const ageMs = Date.now() - h.updatedAt;
  const running = h.state !== 'stopped' && h.state !== 'failed' && ageMs <= staleAfterMs && alive(h.pid);
  return { ...h, ageMs, running };
}
