// The base of a realtime feed of one stream kind (tardis-node style): shards streams over connections, parses
// frames, replaces a connection before its lifetime limit with an overlapping one, drops the overlap's duplicates
// by a per-symbol sequence (aggId, bookTicker update id, markPrice event time), and yields events as an async
// iterator. It pauses its sockets when the consumer falls behind.
import { AsyncQueue } from './async-queue';
import type { BackoffOptions } from './backoff';
import { defaultBackoff } from './backoff';
import { type Clock, type TimerHandle, systemClock } from './clock';
import { FeedConnection } from './connection';
import { type ControlId, defaultMaxFrameBytes } from './parse';
import { type BadFrameReason, badFrameReasons, type EventLatencyHealth, type FeedHealth } from './types';

/** What every feed event carries: its symbol, the exchange's event time and the local receive time. */
export interface FeedEvent {
  symbol: string;
  eventTime: number;
  recvTime: number;
}

/** A parsed frame as a feed sees it: one event of its kind, a control reply, or a counted reason. */
export type FeedFrame<T> =
  | { kind: 'event'; event: T }
  | { kind: 'control'; id: ControlId; result: unknown }
  | { kind: 'bad'; reason: BadFrameReason; detail: string };

export interface RealtimeFeedOptions {
  clock?: Clock;
  /** Drop and replace a connection that delivered nothing for this long. Default 30 s. */
  staleTimeoutMs?: number;
  backoff?: BackoffOptions;
  /** Open a replacement connection this long after connecting (exchange limit 24 h). Default 23 h. */
  rotateAfterMs?: number;
  /** Close the old connection at the latest this long after its replacement opened. Default 30 s. */
  maxOverlapMs?: number;
  /** Streams per connection. Default 200 (Binance allows 1024). */
  streamsPerConnection?: number;
  /** A frame larger than this is counted as `oversized` and skipped; the connection stays. Default 64 KiB. */
  maxFrameBytes?: number;
  /**
   * The socket never buffers a frame larger than this: it refuses it from its header, closes, and the connection is
   * replaced (also counted as `oversized`; the backfill recovers the trades missed meanwhile). Default 16 MiB.
   */
  frameHardLimitBytes?: number;
  /** Pause the sockets when this many events wait for the consumer; resume at a quarter. Default 50,000. */
  queueHighWater?: number;
}

export const defaultFrameHardLimitBytes = 16 * 1024 * 1024;
const latencySamples = 256;

interface Shard {
  index: number;
  symbols: string[];
  streams: Set<string>;
  primary: FeedConnection;
  successor: FeedConnection | null;
  caughtUp: Set<string>;
  overlapTimer: TimerHandle | null;
  generation: number;
}

export abstract class RealtimeFeed<T extends FeedEvent> implements AsyncIterable<T> {
  protected readonly clock: Clock;
  private readonly queue: AsyncQueue<T>;
  private shards: Shard[] = [];
  private readonly lastSeq = new Map<string, number>();
  private readonly badFrames = Object.fromEntries(badFrameReasons.map((r) => [r, 0])) as Record<BadFrameReason, number>;
  private lastErrorFrame: string | null = null;
  private overlapDuplicates = 0;
  private rotations = 0;
  /** Reconnects and stale replacements of connections already replaced by a rotation. */
  private retired = { reconnects: 0, staleReplacements: 0 };
  private trades = 0;
  private readonly latencies = new Float64Array(latencySamples);
  private paused = false;
  private started = false;

  constructor(protected readonly options: RealtimeFeedOptions) {
    this.clock = options.clock ?? systemClock;
    const high = options.queueHighWater ?? 50_000;
    this.queue = new AsyncQueue<T>({
      highWater: high,
      lowWater: Math.floor(high / 4),
      onHigh: () => this.setPaused(true),
      onLow: () => this.setPaused(false),
    });
  }

  /** The symbols to subscribe, in exchange spelling. */
  protected abstract readonly symbols: readonly string[];
  /** Refuses symbols the exchange does not trade; throws before anything is subscribed. */
  protected abstract validate(): Promise<void>;
  protected abstract streamName(symbol: string): string;
  protected abstract connectionUrl(streams: readonly string[]): string;
  protected abstract parse(data: Buffer, isBinary: boolean, recvTime: number, streams: ReadonlySet<string>): FeedFrame<T>;
  /** Increases per symbol with every event; an event at or below the last one seen is a duplicate. */
  protected abstract sequenceOf(event: T): number;
  /**
   * True when the sequence is dense (aggIds): a replacement connection then never skips ahead of the old one,
   * which still delivers what lies between.
   */
  protected readonly denseSequence: boolean = false;

  /** Validates the symbols, then opens the connections. */
  async start(): Promise<void> {
    if (this.started) return;
    await this.validate();
    this.started = true;
    const per = Math.min(1024, Math.max(1, this.options.streamsPerConnection ?? 200));
    for (let i = 0; i * per < this.symbols.length; i++) {
      const symbols = this.symbols.slice(i * per, (i + 1) * per);
      const streams = new Set(symbols.map((s) => this.streamName(s)));
      const shard: Shard = { index: i, symbols, streams, primary: this.newConnection(i, streams, 0), successor: null, caughtUp: new Set(), overlapTimer: null, generation: 1 };
      this.shards.push(shard);
      shard.primary.start();
    }
  }

  /** Closes every connection and ends the iterator once the queued trades are consumed. */
  async stop(): Promise<void> {
    const closing: Promise<void>[] = [];
    for (const s of this.shards) {
      s.overlapTimer?.cancel();
      closing.push(s.primary.stop());
      if (s.successor) closing.push(s.successor.stop());
    }
    await Promise.all(closing);
    this.queue.end();
  }

  [Symbol.asyncIterator](): AsyncIterator<T> {
    return this.queue[Symbol.asyncIterator]();
  }

  /** Test and operations hook: drops every open socket as a network failure would. */
  dropConnections(reason = 'dropped on request'): void {
    for (const s of this.shards) {
      s.primary.drop(reason);
      s.successor?.drop(reason);
    }
  }

  get queuedTrades(): number {
    return this.queue.length;
  }

  health(): FeedHealth {
    const connections = this.shards.flatMap((s) => (s.successor ? [s.primary, s.successor] : [s.primary])).map((c) => c.health());
    return {
      connections,
      messagesPerSec: connections.reduce((sum, c) => sum + c.messagesPerSec, 0),
      trades: this.trades,
      badFrames: { ...this.badFrames },
      lastErrorFrame: this.lastErrorFrame,
      overlapDuplicates: this.overlapDuplicates,
      rotations: this.rotations,
      reconnects: this.retired.reconnects + connections.reduce((n, c) => n + c.reconnects, 0),
      staleReplacements: this.retired.staleReplacements + connections.reduce((n, c) => n + c.staleReplacements, 0),
      paused: this.paused,
      eventLatency: this.eventLatency(),
    };
  }

  private eventLatency(): EventLatencyHealth {
    const n = Math.min(this.trades, latencySamples);
    if (n === 0) return { medianMs: null, samples: 0 };
    const sorted = this.latencies.slice(0, n).sort();
    return { medianMs: n % 2 ? sorted[(n - 1) / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2, samples: n };
  }

  /** A connection for shard `index`; its callbacks look the shard up, so they see it as it is then. */
  private newConnection(index: number, streamSet: ReadonlySet<string>, generation: number): FeedConnection {
    const o = this.options;
    const streams = [...streamSet];
    return new FeedConnection({
      id: `shard${index}.${generation}`,
      url: this.connectionUrl(streams),
      streams: streams.length,
      clock: this.clock,
      staleTimeoutMs: o.staleTimeoutMs ?? 30_000,
      backoff: o.backoff ?? defaultBackoff,
      rotateAfterMs: o.rotateAfterMs ?? 23 * 3_600_000,
      maxPayloadBytes: Math.max(o.frameHardLimitBytes ?? defaultFrameHardLimitBytes, o.maxFrameBytes ?? defaultMaxFrameBytes),
      onFrame: (conn, data, isBinary) => this.onFrame(this.shards[index], conn, data, isBinary),
      onFrameOverLimit: () => { this.badFrames.oversized++; },
      onRotationDue: (conn) => this.rotate(this.shards[index], conn),
    });
  }

  private onFrame(shard: Shard, conn: FeedConnection, data: Buffer, isBinary: boolean): void {
    const parsed = this.parse(data, isBinary, this.clock.now(), shard.streams);
    if (parsed.kind === 'bad') {
      this.badFrames[parsed.reason]++;
      if (parsed.reason === 'error_frame') this.lastErrorFrame = parsed.detail;
      return;
    }
    if (parsed.kind === 'event') this.route(shard, conn, parsed.event);
  }

  private route(shard: Shard, conn: FeedConnection, event: T): void {
    const last = this.lastSeq.get(event.symbol);
    const seq = this.sequenceOf(event);
    const fromSuccessor = shard.successor === conn;
    if (fromSuccessor && !shard.primary.isOpen) this.promote(shard);
    if (last !== undefined && seq <= last) {
      this.overlapDuplicates++;
      if (fromSuccessor) this.markCaughtUp(shard, event.symbol);
      return;
    }
    // While the old connection still runs it delivers what lies between; taking a later id here would skip those.
    if (this.denseSequence && shard.successor === conn && last !== undefined && seq > last + 1) return;
    this.lastSeq.set(event.symbol, seq);
    this.latencies[this.trades % latencySamples] = event.recvTime - event.eventTime;
    this.trades++;
    this.queue.push(event);
    if (shard.successor === conn) this.markCaughtUp(shard, event.symbol);
  }

  private rotate(shard: Shard, conn: FeedConnection): void {
    if (conn !== shard.primary || shard.successor) return;
    const next = this.newConnection(shard.index, shard.streams, shard.generation++);
    next.rotating = true;
    shard.successor = next;
    shard.caughtUp = new Set();
    if (this.paused) next.pause();
    next.start();
    shard.overlapTimer = this.clock.setTimer(() => {
      if (shard.successor !== next) return;
      if (next.isOpen) this.promote(shard);
      else {
        shard.successor = null;
        void next.stop();
      }
    }, this.options.maxOverlapMs ?? 30_000);
  }

  private markCaughtUp(shard: Shard, symbol: string): void {
    shard.caughtUp.add(symbol);
    if (shard.caughtUp.size >= shard.symbols.length) this.promote(shard);
  }

  private promote(shard: Shard): void {
    const next = shard.successor;
    if (!next) return;
    shard.overlapTimer?.cancel();
    shard.overlapTimer = null;
    const old = shard.primary;
    shard.primary = next;
    shard.successor = null;
    next.rotating = false;
    this.rotations++;
    const h = old.health();
    this.retired.reconnects += h.reconnects;
    this.retired.staleReplacements += h.staleReplacements;
    void old.stop();
  }

  private setPaused(paused: boolean): void {
    this.paused = paused;
    for (const s of this.shards) {
      for (const c of s.successor ? [s.primary, s.successor] : [s.primary]) {
        if (paused) c.pause();
        else c.resume();
      }
    }
  }
}
