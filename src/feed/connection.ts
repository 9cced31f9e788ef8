// One WebSocket connection to a market-stream URL that keeps itself alive: answers pings (ws does it),
// replaces itself when silent for `staleTimeoutMs`, reconnects with backoff, and reports when it reaches
// its rotation age. It hands raw frames to its owner and never parses them.
import WebSocket from 'ws';
import { Backoff, type BackoffOptions } from './backoff';
import type { Clock, TimerHandle } from './clock';
import type { ConnectionHealth, ConnectionState } from './types';

export interface ConnectionOptions {
  id: string;
  url: string;
  streams: number;
  clock: Clock;
  staleTimeoutMs: number;
  backoff: BackoffOptions;
  /** Called once when the connection has been open this long (the owner opens a replacement). */
  rotateAfterMs: number;
  /**
   * The most a single frame may make the socket buffer. ws refuses a larger frame from its header alone (before
   * buffering it) and closes the connection with 1009; `onFrameOverLimit` is told. Frames up to this size reach
   * `onFrame`, which skips the ones above its own, much smaller, limit.
   */
  maxPayloadBytes: number;
  onFrame(conn: FeedConnection, data: Buffer, isBinary: boolean): void;
  onFrameOverLimit(conn: FeedConnection): void;
  onRotationDue(conn: FeedConnection): void;
}

const rateWindowMs = 5_000;

export class FeedConnection {
  private ws: WebSocket | null = null;
  private state: ConnectionState = 'closed';
  private stopped = false;
  private paused = false;
  private readonly backoff: Backoff;
  private timers: TimerHandle[] = [];
  private retryTimer: TimerHandle | null = null;
  private connectedAt: number | null = null;
  private gotDataSinceConnect = false;
  private messages = 0;
  private lastMessageAt: number | null = null;
  private reconnects = 0;
  private staleReplacements = 0;
  private nextAttemptAt: number | null = null;
  private lastError: string | null = null;
  private rateMarks: { at: number; messages: number }[] = [];
  rotating = false;

  constructor(readonly opts: ConnectionOptions) {
    this.backoff = new Backoff(opts.backoff);
  }

  get id(): string {
    return this.opts.id;
  }

  get isOpen(): boolean {
    return this.state === 'open' || this.state === 'paused';
  }

  start(): void {
    this.stopped = false;
    this.connect();
  }

  /** Closes for good; resolves once the socket is gone. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.retryTimer?.cancel();
    this.clearTimers();
    this.state = 'closed';
    const ws = this.ws;
    this.ws = null;
    if (!ws || ws.readyState === WebSocket.CLOSED) return;
    await new Promise<void>((resolve) => {
      const force = setTimeout(() => { ws.terminate(); resolve(); }, 1_000);
      ws.once('close', () => { clearTimeout(force); resolve(); });
      if (ws.readyState === WebSocket.CONNECTING) ws.terminate();
      else ws.close(1000, 'client closing');
    });
  }

  /** Stops reading from the socket (backpressure); the stale watchdog is suspended meanwhile. */
  pause(): void {
    this.paused = true;
    if (this.ws && this.state === 'open') {
      this.ws.pause();
      this.state = 'paused';
    }
  }

  resume(): void {
    this.paused = false;
    if (this.ws && this.state === 'paused') {
      this.lastMessageAt = this.opts.clock.now();
      this.state = 'open';
      this.ws.resume();
    }
  }

  /** Drops the socket as if the network failed; the normal reconnect follows. */
  drop(reason: string): void {
    this.lastError = reason;
    this.ws?.terminate();
  }

  health(): ConnectionHealth {
    const now = this.opts.clock.now();
    this.markRate(now);
    const first = this.rateMarks[0];
    const spanMs = first ? now - first.at : 0;
    const u = new URL(this.opts.url);
    return {
      id: this.opts.id,
      url: `${u.protocol}//${u.host}${u.pathname}`,
      streams: this.opts.streams,
      state: this.state,
      rotating: this.rotating,
      connectedAt: this.connectedAt,
      messages: this.messages,
      messagesPerSec: first && spanMs > 0 ? ((this.messages - first.messages) * 1000) / spanMs : 0,
      lastMessageAt: this.lastMessageAt,
      lastMessageAgeMs: this.lastMessageAt === null ? null : now - this.lastMessageAt,
      reconnects: this.reconnects,
      staleReplacements: this.staleReplacements,
      nextAttemptAt: this.nextAttemptAt,
      lastError: this.lastError,
    };
  }

  private markRate(now: number): void {
    const last = this.rateMarks[this.rateMarks.length - 1];
    if (!last || now - last.at >= 250) this.rateMarks.push({ at: now, messages: this.messages });
    while (this.rateMarks.length > 1 && now - this.rateMarks[0].at > rateWindowMs) this.rateMarks.shift();
  }

  private connect(): void {
    if (this.stopped) return;
    this.state = 'connecting';
    this.nextAttemptAt = null;
    this.gotDataSinceConnect = false;
    const ws = new WebSocket(this.opts.url, { maxPayload: this.opts.maxPayloadBytes, handshakeTimeout: 10_000, perMessageDeflate: false });
    this.ws = ws;
    ws.on('open', () => {
      if (this.ws !== ws) return;
      const now = this.opts.clock.now();
      this.state = 'open';
      this.connectedAt = now;
      this.lastMessageAt = now;
      this.startTimers();
      if (this.paused) this.pause();
    });
    ws.on('message', (data: Buffer, isBinary: boolean) => {
      if (this.ws !== ws) return;
      this.messages++;
      this.lastMessageAt = this.opts.clock.now();
      if (!this.gotDataSinceConnect) {
        this.gotDataSinceConnect = true;
        this.backoff.reset();
      }
      this.opts.onFrame(this, data, isBinary);
    });
    let refused = false;
    let overLimit = false;
    ws.on('error', (err) => {
      if (this.ws !== ws || refused) return;
      this.lastError = err.message;
      if ((err as NodeJS.ErrnoException).code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH') {
        overLimit = true;
        this.opts.onFrameOverLimit(this);
      }
    });
    ws.on('unexpected-response', (_req, res) => {
      refused = true;
      if (this.ws === ws) this.lastError = `HTTP ${res.statusCode} ${res.statusMessage ?? ''} on connect`.trim();
      ws.terminate();
    });
    ws.on('close', (code, reason) => {
      if (this.ws !== ws) return;
      this.ws = null;
      this.clearTimers();
      if (overLimit) this.lastError = `refused a frame over the ${this.opts.maxPayloadBytes}-byte hard limit (closed with 1009); replaced`;
      else if (code !== 1006 || !this.lastError) this.lastError = `closed ${code}${reason.length ? `: ${reason.toString()}` : ''}`;
      if (this.stopped) {
        this.state = 'closed';
        return;
      }
      this.scheduleReconnect();
    });
  }

  private scheduleReconnect(): void {
    const now = this.opts.clock.now();
    // A connection that ran fine for a while is replaced at once (stale or dropped); one that keeps failing backs off.
    const livedLong = this.gotDataSinceConnect && this.connectedAt !== null && now - this.connectedAt >= Math.min(this.opts.staleTimeoutMs, 10_000);
    const delay = livedLong ? Math.random() * Math.min(250, this.opts.backoff.initialMs) : this.backoff.next();
    this.state = 'backoff';
    this.reconnects++;
    this.nextAttemptAt = now + delay;
    this.retryTimer = this.opts.clock.setTimer(() => this.connect(), delay);
  }

  private startTimers(): void {
    this.clearTimers();
    const { clock, staleTimeoutMs, rotateAfterMs } = this.opts;
    const checkEvery = Math.max(10, Math.min(1_000, staleTimeoutMs / 10));
    this.timers.push(clock.setInterval(() => {
      if (this.state !== 'open' || this.lastMessageAt === null) return;
      if (clock.now() - this.lastMessageAt > staleTimeoutMs) {
        this.staleReplacements++;
        this.drop(`no message for ${staleTimeoutMs} ms: replaced`);
      }
    }, checkEvery));
    if (rotateAfterMs > 0 && Number.isFinite(rotateAfterMs)) {
      this.timers.push(clock.setTimer(() => {
        if (this.isOpen && !this.stopped) this.opts.onRotationDue(this);
      }, rotateAfterMs));
    }
  }

  private clearTimers(): void {
    for (const t of this.timers) t.cancel();
    this.timers = [];
  }
}
