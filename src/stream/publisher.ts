// The recorder's stream output: publishes each symbol's durable ticks of a flush as one message on `ticks.<SYMBOL>`.
//
// Any number of recorders may publish the same symbols. Their flushes cut the id sequence at different places, so
// message ids alone would not stop copies (A sends 100-150, B sends 100-140 and 141-160). Each subject is therefore
// appended to like a log with compare-and-set: a message carries only ids above the subject's last id, and JetStream
// refuses it unless the subject's last sequence is still the one that id was read from. The message id
// `${symbol}:${first}-${last}` drops a retried publish whose acknowledgement was lost.
import type { JetStreamClient, JetStreamManager, NatsConnection } from 'nats';
import type { OutputHealth, TickOutput } from '../feed/outputs';
import type { Tick } from '../store/types';
import { apiErrorCode, apiErrors, connectNats, describeError, ensureTickStream, TICK_STREAM, tickSubject, type TickStreamSettings } from './jetstream';
import { batchMessageId, decodeTickBatch, encodeTickBatch, type TickBatch, toBatches } from './tick-codec';

export interface StreamPublisherOptions {
  /** NATS server URL(s), comma-separated. */
  servers: string;
  stream?: TickStreamSettings;
  /** Beyond this many queued ticks the oldest batches are dropped (counted; the consumer backfills them). Default 1,000,000. */
  maxQueuedTicks?: number;
  /** Wait this long for a publish acknowledgement before retrying. Default 5 s. */
  publishTimeoutMs?: number;
  /** How long `close` may still send queued ticks. Default 2 s. */
  closeTimeoutMs?: number;
  /** How long a batch that would leave ids missing before it waits for another publisher to send them. Default 1 s. */
  holeWaitMs?: number;
}

/** The last message of a subject: its stream sequence (0 for none) and its highest aggId. */
interface SubjectTail {
  seq: number;
  lastAggId: number;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export class StreamPublisher implements TickOutput {
  private readonly queue: TickBatch[] = [];
  private queuedTicks = 0;
  private readonly tails = new Map<string, SubjectTail>();
  private nc: NatsConnection | null = null;
  private js: JetStreamClient | null = null;
  private jsm: JetStreamManager | null = null;
  private connected = false;
  private closing = false;
  private wakeUp: (() => void) | null = null;
  private readonly loop: Promise<void>;
  private sentTicks = 0;
  private skippedTicks = 0;
  private droppedTicks = 0;
  private retries = 0;
  private lastSentAt: number | null = null;
  private lastError: string | null = null;
  private readonly maxQueuedTicks: number;

  constructor(private readonly opts: StreamPublisherOptions) {
    this.maxQueuedTicks = opts.maxQueuedTicks ?? 1_000_000;
    this.loop = this.run();
  }

  take(ticks: readonly Tick[]): void {
    if (this.closing) return;
    for (const batch of toBatches(ticks)) {
      this.queue.push(batch);
      this.queuedTicks += batch.ticks.length;
    }
    while (this.queuedTicks > this.maxQueuedTicks && this.queue.length > 1) {
      const dropped = this.queue.shift() as TickBatch;
      this.queuedTicks -= dropped.ticks.length;
      this.droppedTicks += dropped.ticks.length;
    }
    this.wakeUp?.();
  }

  health(): OutputHealth {
    return {
      name: `stream ${this.opts.servers}`,
      connected: this.connected,
      queuedTicks: this.queuedTicks,
      sentTicks: this.sentTicks,
      skippedTicks: this.skippedTicks,
      droppedTicks: this.droppedTicks,
      retries: this.retries,
      lastSentAt: this.lastSentAt,
      lastError: this.lastError,
    };
  }

  async close(): Promise<void> {
    const deadline = Date.now() + (this.opts.closeTimeoutMs ?? 2_000);
    while (this.queue.length > 0 && this.connected && Date.now() < deadline) await sleep(20);
    this.closing = true;
    this.wakeUp?.();
    await this.nc?.close().catch(() => undefined);
    await this.loop;
  }

  private async run(): Promise<void> {
    try {
      this.nc = await connectNats(this.opts.servers, `pairs-lab recorder ${process.pid}`);
    } catch (err) {
      this.lastError = `cannot connect to ${this.opts.servers}: ${describeError(err)}`;
      return;
    }
    if (this.closing) return;
    void this.watchStatus(this.nc);
    this.connected = true;
    this.js = this.nc.jetstream({ timeout: this.opts.publishTimeoutMs ?? 5_000 });
    let streamReady = false;
    let delayMs = 100;
    while (!this.closing) {
      const batch = this.queue[0];
      if (!batch) {
        await new Promise<void>((r) => { this.wakeUp = r; });
        this.wakeUp = null;
        continue;
      }
      try {
        if (!streamReady) {
          this.jsm ??= await this.nc.jetstreamManager({ timeout: this.opts.publishTimeoutMs ?? 5_000 });
          await ensureTickStream(this.jsm, this.opts.stream);
          streamReady = true;
        }
        await this.publish(batch);
        if (this.queue[0] === batch) {
          this.queue.shift();
          this.queuedTicks -= batch.ticks.length;
        }
        this.lastError = null;
        delayMs = 100;
      } catch (err) {
        this.retries++;
        this.lastError = `publish to ${tickSubject(batch.symbol)} failed (${describeError(err)}); retrying, ${this.queuedTicks} ticks queued`;
        if (apiErrorCode(err) === apiErrors.streamNotFound) streamReady = false;
        await sleep(delayMs);
        delayMs = Math.min(delayMs * 2, 2_000);
      }
    }
  }

  private async watchStatus(nc: NatsConnection): Promise<void> {
    for await (const s of nc.status()) {
      if (s.type === 'disconnect') this.connected = false;
      else if (s.type === 'reconnect') this.connected = true;
    }
  }

  /** Appends the batch's ids above the subject's last id, retrying the compare-and-set when another publisher won. */
  private async publish(batch: TickBatch): Promise<void> {
    const js = this.js as JetStreamClient;
    for (let attempt = 0; attempt < 5; attempt++) {
      const tail = await this.tailWithoutHole(batch, this.tails.get(batch.symbol) ?? (await this.readTail(batch.symbol)));
      const fresh = batch.ticks.filter((t) => t.aggId > tail.lastAggId);
      this.skippedTicks += batch.ticks.length - fresh.length;
      batch.ticks = fresh;
      if (fresh.length === 0) return;
      const first = fresh[0].aggId;
      const last = fresh[fresh.length - 1].aggId;
      try {
        const ack = await js.publish(tickSubject(batch.symbol), encodeTickBatch(batch), {
          msgID: batchMessageId(batch.symbol, first, last),
          expect: { lastSubjectSequence: tail.seq },
        });
        this.tails.set(batch.symbol, { seq: ack.seq, lastAggId: last });
        if (ack.duplicate) this.skippedTicks += fresh.length;
        else {
          this.sentTicks += fresh.length;
          this.lastSentAt = Date.now();
        }
        return;
      } catch (err) {
        this.tails.delete(batch.symbol);
        if (apiErrorCode(err) !== apiErrors.wrongLastSequence) throw err;
      }
    }
    throw new Error(`${tickSubject(batch.symbol)} kept moving under 5 compare-and-set attempts (other publishers)`);
  }

  /**
   * When this batch starts above the id after the subject's last (a recorder that joined later, or reconnected), the
   * ids between are another recorder's to send, and once this batch is appended nobody can. Waits up to
   * `holeWaitMs` for the subject to reach them, then goes ahead (a consumer backfills what is still missing).
   */
  private async tailWithoutHole(batch: TickBatch, tail: SubjectTail): Promise<SubjectTail> {
    const firstAbove = (t: SubjectTail) => batch.ticks.find((x) => x.aggId > t.lastAggId)?.aggId;
    const deadline = Date.now() + (this.opts.holeWaitMs ?? 1_000);
    let current = tail;
    for (;;) {
      const first = firstAbove(current);
      if (current.lastAggId < 0 || first === undefined || first <= current.lastAggId + 1 || this.closing || Date.now() >= deadline) return current;
      await sleep(50);
      current = await this.readTail(batch.symbol);
    }
  }

  private async readTail(symbol: string): Promise<SubjectTail> {
    this.jsm ??= await (this.nc as NatsConnection).jetstreamManager();
    try {
      const m = await this.jsm.streams.getMessage(TICK_STREAM, { last_by_subj: tickSubject(symbol) });
      const ticks = decodeTickBatch(m.data).ticks;
      return { seq: m.seq, lastAggId: ticks.length ? ticks[ticks.length - 1].aggId : -1 };
    } catch (err) {
      if (apiErrorCode(err) === apiErrors.noMessageFound) return { seq: 0, lastAggId: -1 };
      throw err;
    }
  }
}
