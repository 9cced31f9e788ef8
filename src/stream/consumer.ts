// The store consumer: a durable pull consumer on the tick stream that writes a store directory on this machine.
// It acknowledges messages only after the store made their ticks durable, so a crash at any point loses nothing:
// JetStream redelivers what was not acknowledged and the store drops ids it already holds. Ids missing from the
// stream are backfilled over REST with the recorder's backfill code (or only logged when no REST URL is given).
import { writeFile, rename } from 'node:fs/promises';
import path from 'node:path';
import { AckPolicy, DeliverPolicy, type JsMsg, type NatsConnection, nanos } from 'nats';
import { Backfiller, type BackfillHealth } from '../feed/backfill';
import { systemClock } from '../feed/clock';
import { BinanceRest } from '../feed/rest';
import { toTick } from '../feed/types';
import { appendGaps, openStoreWriter, type StoreWriter, type Tick } from '../store';
import { GapTracker } from './gap-tracker';
import { apiErrorCode, apiErrors, connectNats, describeError, ensureTickStream, TICK_STREAM, type TickStreamSettings } from './jetstream';
import { decodeTickBatch } from './tick-codec';

export const consumerHealthFileName = 'consumer-health.json';

export interface StoreConsumerOptions {
  servers: string;
  dataDir: string;
  /** The durable consumer's name: one name per store directory. Default `store`. */
  durable?: string;
  /** Binance REST base URL for backfilling gaps; null only logs them as open. */
  restUrl: string | null;
  /** JetStream redelivers a message not acknowledged within this time. Default 10 s. */
  ackWaitMs?: number;
  /** A hole must stay open this long before it is a gap. Default twice the ack wait. */
  gapGraceMs?: number;
  /** Messages per fetch. Default 200. */
  batchMessages?: number;
  stream?: TickStreamSettings;
  /** Write `<dataDir>/consumer-health.json` this often; 0 disables. Default 1000 ms. */
  healthIntervalMs?: number;
}

export interface StoreConsumerHealth {
  pid: number;
  state: 'connecting' | 'consuming' | 'stopping' | 'stopped';
  servers: string;
  durable: string;
  dataDir: string;
  updatedAt: number;
  messages: number;
  ticksStored: number;
  duplicateTicks: number;
  badMessages: number;
  /** Messages in the stream this consumer has not yet received. */
  streamBacklog: number | null;
  /** Ids missing between messages that redelivery may still fill. */
  pendingHoleIds: number;
  gaps: BackfillHealth & { backfill: boolean };
  lastError: string | null;
}

export interface StoreConsumer {
  health(): StoreConsumerHealth;
  stop(): Promise<void>;
}

export async function startStoreConsumer(opts: StoreConsumerOptions): Promise<StoreConsumer> {
  const durable = opts.durable ?? 'store';
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(durable)) throw new Error(`durable name "${durable}" must be 1-64 letters, digits, "_" or "-"`);
  const ackWaitMs = opts.ackWaitMs ?? 10_000;
  const graceMs = opts.gapGraceMs ?? 2 * ackWaitMs;
  const writer: StoreWriter = await openStoreWriter({ dir: opts.dataDir, flushIntervalMs: 0, onError: (err) => { lastError = `store: ${err.message}`; } });
  const tracker = new GapTracker(new Map([...writer.highWaterMarks()].map(([s, h]) => [s, h.aggId])), graceMs);
  const backfiller = opts.restUrl === null ? null : new Backfiller({
    rest: new BinanceRest({ baseUrl: opts.restUrl, clock: systemClock }),
    clock: systemClock,
    deliver: async (trades) => {
      writer.append(trades.map(toTick));
      await writer.flush();
    },
    logGaps: (gaps) => appendGaps(opts.dataDir, gaps),
    onError: (err) => { lastError = `gap log: ${err.message}`; },
  });
  let unfilledGaps = 0;

  let state: StoreConsumerHealth['state'] = 'connecting';
  let lastError: string | null = null;
  let messages = 0;
  let ticksStored = 0;
  let duplicateTicks = 0;
  let badMessages = 0;
  let streamBacklog: number | null = null;
  let stopping = false;
  let nc: NatsConnection | null = null;

  function health(): StoreConsumerHealth {
    const b = backfiller?.health() ?? { open: unfilledGaps, filled: 0, abandoned: 0, tradesBackfilled: 0, tradesMissing: 0, bannedUntil: null, lastError: null };
    return {
      pid: process.pid, state, servers: opts.servers, durable, dataDir: opts.dataDir, updatedAt: Date.now(),
      messages, ticksStored, duplicateTicks, badMessages, streamBacklog, pendingHoleIds: tracker.pendingIds(),
      gaps: { ...b, backfill: backfiller !== null }, lastError,
    };
  }

  const healthFile = path.join(opts.dataDir, consumerHealthFileName);
  const writeHealth = async (): Promise<void> => {
    const tmp = `${healthFile}.${process.pid}.tmp`;
    await writeFile(tmp, `${JSON.stringify(health(), null, 1)}\n`);
    await rename(tmp, healthFile);
  };
  const healthEvery = opts.healthIntervalMs ?? 1_000;
  const healthTimer = healthEvery > 0 ? setInterval(() => { writeHealth().catch(() => undefined); }, healthEvery) : null;
  healthTimer?.unref();

  /** Stores one fetch's messages, then acknowledges them. */
  async function store(batch: JsMsg[]): Promise<void> {
    const ticks: Tick[] = [];
    const now = Date.now();
    for (const m of batch) {
      try {
        const decoded = decodeTickBatch(m.data);
        tracker.observe(decoded.symbol, decoded.ticks.map((t) => t.aggId), now);
        for (const t of decoded.ticks) ticks.push(t);
      } catch (err) {
        badMessages++;
        lastError = `message ${m.seq} on ${m.subject} is not a tick batch (${describeError(err)}); skipped`;
      }
    }
    const r = writer.append(ticks);
    await writer.flush();
    for (const m of batch) m.ack();
    await nc?.flush();
    messages += batch.length;
    ticksStored += r.accepted;
    duplicateTicks += r.duplicates;
    for (const h of tracker.takeDue(Date.now())) {
      if (backfiller) backfiller.add(h.symbol, h.fromId, h.toId);
      else {
        unfilledGaps++;
        await appendGaps(opts.dataDir, [{ symbol: h.symbol, fromId: h.fromId, toId: h.toId, foundAt: h.seenAt, filledAt: null, trades: h.toId - h.fromId + 1, status: 'open' }]);
      }
    }
  }

  async function consume(conn: NatsConnection): Promise<void> {
    const jsm = await conn.jetstreamManager();
    await ensureTickStream(jsm, opts.stream);
    try {
      await jsm.consumers.info(TICK_STREAM, durable);
    } catch (err) {
      if (apiErrorCode(err) !== apiErrors.consumerNotFound) throw err;
      await jsm.consumers.add(TICK_STREAM, {
        durable_name: durable, ack_policy: AckPolicy.Explicit, deliver_policy: DeliverPolicy.All,
        ack_wait: nanos(ackWaitMs), max_ack_pending: 10_000, filter_subject: 'ticks.*',
      });
    }
    const consumer = await conn.jetstream().consumers.get(TICK_STREAM, durable);
    state = 'consuming';
    while (!stopping) {
      const batch: JsMsg[] = [];
      const fetched = await consumer.fetch({ max_messages: opts.batchMessages ?? 200, expires: 1_000 });
      for await (const m of fetched) batch.push(m);
      await store(batch);
      streamBacklog = batch.length > 0 ? batch[batch.length - 1].info.pending : 0;
    }
  }

  const loop = (async () => {
    nc = await connectNats(opts.servers, `pairs-lab store consumer ${durable}`);
    while (!stopping) {
      try {
        await consume(nc);
      } catch (err) {
        if (stopping) break;
        lastError = `stream: ${describeError(err)}; retrying in 1 s`;
        await new Promise((r) => setTimeout(r, 1_000));
      }
    }
  })();
  loop.catch((err: unknown) => { lastError = `stream: ${describeError(err)}`; });

  let stopped: Promise<void> | null = null;
  return {
    health,
    stop() {
      stopped ??= (async () => {
        state = 'stopping';
        stopping = true;
        await loop.catch(() => undefined);
        await backfiller?.stop();
        await nc?.close().catch(() => undefined);
        if (healthTimer) clearInterval(healthTimer);
        await writer.close();
        state = 'stopped';
        if (healthEvery > 0) await writeHealth().catch(() => undefined);
      })();
      return stopped;
    },
  };
}
