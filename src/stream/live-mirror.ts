// A kernel's live ticks without a local recorder: an ordered (ephemeral, unacknowledged) JetStream consumer on
// `ticks.<SYMBOL>` from a start time, replaying the stream's retained history and then following it live, written
// into a private store directory. Readers of that directory get bars from the store's own bar code, so bars from the
// stream are the bars a recorder's store would give (same buckets, open of the lowest aggId, rollups, compaction).
// Each batch of arrived messages is flushed at once (flushes coalesce while one runs): a tick is readable a flush
// after it arrives, not a flush interval later.
import { connect, type ConsumerMessages, type NatsConnection, type StreamInfo } from 'nats';
import { openStoreWriter, type StoreWriter } from '../store';
import { apiErrorCode, apiErrors, describeError, TICK_STREAM } from './jetstream';
import { decodeTickBatch } from './tick-codec';

export interface StreamMirrorOptions {
  /** NATS server URL(s), comma-separated. */
  servers: string;
  /** The store directory this mirror writes (its only writer). */
  dataDir: string;
  /** Replay messages published at or after this time (epoch ms), then follow live. */
  from: number;
  /** Give up the first connection after this long. Default 5 s. */
  connectTimeoutMs?: number;
}

export interface StreamMirrorHealth {
  servers: string;
  connected: boolean;
  /** True once the history present at start has been stored. */
  caughtUp: boolean;
  messages: number;
  ticksStored: number;
  duplicateTicks: number;
  badMessages: number;
  /** When the newest message arrived (this machine's clock), or null. */
  lastMessageAt: number | null;
  /** Store flushes so far. */
  flushes: number;
  /** Times the stream was followed afresh because nothing arrived while it grew. */
  restarts: number;
  lastError: string | null;
}

export interface StreamMirror {
  readonly dataDir: string;
  /** Symbols with a subject in the stream when the mirror started. */
  readonly streamSymbols: readonly string[];
  /** Resolves once the history the stream held at start is stored (readable). */
  caughtUp(): Promise<void>;
  health(): StreamMirrorHealth;
  stop(): Promise<void>;
}

const SUBJECTS = 'ticks.*';

/** What to do about a NATS connection failure, in words a notebook user can act on. */
function unreachable(servers: string, err: unknown): Error {
  return new Error(
    `cannot reach NATS at ${servers} (${describeError(err)}): start a nats-server with JetStream there ` +
    `(README "Tick stream on JetStream": nats-server -js …, or the 3-node cluster), or pass the URL of a running one`,
  );
}

export async function startStreamMirror(opts: StreamMirrorOptions): Promise<StreamMirror> {
  if (!Number.isFinite(opts.from)) throw new Error(`stream mirror: from must be epoch milliseconds, got ${String(opts.from)}`);
  let nc: NatsConnection;
  try {
    nc = await connect({
      servers: opts.servers.split(',').map((s) => s.trim()).filter(Boolean),
      name: `pairs-lab live bars ${process.pid}`,
      timeout: opts.connectTimeoutMs ?? 5_000,
      maxReconnectAttempts: -1,
      reconnectTimeWait: 250,
      pingInterval: 5_000,
    });
  } catch (err) {
    throw unreachable(opts.servers, err);
  }
  try {
    return await follow(nc, opts);
  } catch (err) {
    await nc.close().catch(() => undefined);
    throw err;
  }
}

async function follow(nc: NatsConnection, opts: StreamMirrorOptions): Promise<StreamMirror> {
  let info: StreamInfo;
  try {
    const jsm = await nc.jetstreamManager({ timeout: opts.connectTimeoutMs ?? 5_000 });
    info = await jsm.streams.info(TICK_STREAM, { subjects_filter: SUBJECTS });
  } catch (err) {
    if (apiErrorCode(err) === apiErrors.streamNotFound) {
      throw new Error(`NATS at ${opts.servers} has no stream ${TICK_STREAM} yet: start a recorder with "pairs-lab record --nats ${opts.servers}" (it creates the stream), then open the lab again`);
    }
    if (/no responders|503|JetStream not enabled/i.test(describeError(err))) {
      throw new Error(`NATS at ${opts.servers} does not answer JetStream requests (${describeError(err)}): run nats-server with JetStream on (-js, or a jetstream block in its config)`);
    }
    throw new Error(`NATS at ${opts.servers}: reading stream ${TICK_STREAM} failed (${describeError(err)})`);
  }
  const writerErrors: { last: string | null } = { last: null };
  const writer: StoreWriter = await openStoreWriter({ dir: opts.dataDir, flushIntervalMs: 0, onError: (err) => { writerErrors.last = `store: ${err.message}`; } });
  try {
    return await mirrorInto(nc, writer, writerErrors, info, opts);
  } catch (err) {
    await writer.close().catch(() => undefined);
    throw err;
  }
}

async function mirrorInto(
  nc: NatsConnection, writer: StoreWriter, writerErrors: { last: string | null }, info: StreamInfo, opts: StreamMirrorOptions,
): Promise<StreamMirror> {
  const streamSymbols = Object.keys(info.state.subjects ?? {}).map((s) => s.slice('ticks.'.length)).sort();

  let connected = true;
  let lastError: string | null = null;
  let messages = 0;
  let ticksStored = 0;
  let duplicateTicks = 0;
  let badMessages = 0;
  let flushes = 0;
  let lastMessageAt: number | null = null;
  let stopping = false;
  let restarts = 0;

  // The history to replay ends at the stream's last message at start; nothing to replay when that is older than `from`.
  const lastSeqAtStart = info.state.last_seq;
  const nothingToReplay = info.state.messages === 0 || Date.parse(info.state.last_ts) < opts.from;
  let caughtUp = nothingToReplay;
  let caughtUpSeq = 0;
  let markCaughtUp: () => void = () => undefined;
  const caughtUpPromise = new Promise<void>((resolve) => { markCaughtUp = resolve; });
  if (caughtUp) markCaughtUp();

  let appendedSeq = 0;
  let dirty = false;
  let flushing: Promise<void> | null = null;
  async function flushLoop(): Promise<void> {
    try {
      while (dirty) {
        dirty = false;
        const seq = appendedSeq;
        await writer.flush();
        flushes++;
        if (!caughtUp && caughtUpSeq > 0 && seq >= caughtUpSeq) {
          caughtUp = true;
          markCaughtUp();
        }
      }
    } catch (err) {
      lastError = `store flush: ${describeError(err)}`;
    } finally {
      flushing = null;
    }
  }
  const kickFlush = (): void => {
    dirty = true;
    flushing ??= flushLoop();
  };

  const js = nc.jetstream();
  const jsm = await nc.jetstreamManager({ timeout: 2_000 });
  let iter: ConsumerMessages | null = null;
  /** An ordered consumer from `from` (first pass) or from the sequence after the last one stored (restarts). */
  async function open(): Promise<ConsumerMessages> {
    const consumer = await js.consumers.get(TICK_STREAM, appendedSeq === 0
      ? { filterSubjects: SUBJECTS, opt_start_time: new Date(opts.from).toISOString() }
      : { filterSubjects: SUBJECTS, opt_start_seq: appendedSeq + 1 });
    // Short pulls: the ordered consumer notices a lost server after two missed heartbeats (half of `expires` each).
    return consumer.consume({ max_messages: 1_000, expires: 2_000 });
  }
  iter = await open();
  const loop = (async () => {
    while (!stopping) {
      try {
        iter ??= await open();
        for await (const m of iter) {
          if (stopping) break;
          messages++;
          lastMessageAt = Date.now();
          try {
            const batch = decodeTickBatch(m.data);
            const r = writer.append(batch.ticks);
            ticksStored += r.accepted;
            duplicateTicks += r.duplicates;
          } catch (err) {
            badMessages++;
            lastError = `message ${m.seq} on ${m.subject} is not a tick batch (${describeError(err)}); skipped`;
          }
          appendedSeq = m.seq;
          if (!caughtUp && caughtUpSeq === 0 && (m.seq >= lastSeqAtStart || m.info.pending === 0)) caughtUpSeq = m.seq;
          kickFlush();
        }
      } catch (err) {
        lastError = `stream: ${describeError(err)}; following again in 1 s`;
        await new Promise((r) => setTimeout(r, 1_000));
      }
      iter = null;
    }
  })();
  // nats.js's ordered consumer did not always recover when the stream leader was SIGKILLed (the failover test saw a
  // lab stall for over 40 s): when nothing arrived for a while but the stream has grown, follow it afresh from the
  // sequence after the last one stored.
  const watchdog = setInterval(() => {
    if (stopping || !iter || Date.now() - (lastMessageAt ?? 0) < 3_000) return;
    jsm.streams.info(TICK_STREAM).then((info) => {
      // Before its first message a lab opened after the stream's last one has followed up to that one.
      const followed = appendedSeq > 0 ? appendedSeq : nothingToReplay ? lastSeqAtStart : 0;
      if (info.state.last_seq > followed && iter && !stopping) {
        restarts++;
        iter.stop();
      }
    }, () => undefined);
  }, 1_000);
  loop.catch((err: unknown) => { lastError = `stream: ${describeError(err)}`; });
  void (async () => {
    for await (const s of nc.status()) {
      if (s.type === 'disconnect') connected = false;
      else if (s.type === 'reconnect') connected = true;
    }
  })();

  let stopped: Promise<void> | null = null;
  return {
    dataDir: opts.dataDir,
    streamSymbols,
    caughtUp: () => caughtUpPromise,
    health: () => ({
      servers: opts.servers, connected, caughtUp, messages, ticksStored, duplicateTicks, badMessages, lastMessageAt, flushes, restarts,
      lastError: lastError ?? writerErrors.last,
    }),
    stop() {
      stopped ??= (async () => {
        stopping = true;
        clearInterval(watchdog);
        iter?.stop();
        await loop.catch(() => undefined);
        await flushing;
        await nc.close().catch(() => undefined);
        await writer.close();
      })();
      return stopped;
    },
  };
}
