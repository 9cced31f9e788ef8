// Outputs beside the store: they receive every batch of ticks once the store has made it durable. The recorder
// knows them only through this interface (a stream publisher is one), so it never learns which transport runs.
import type { AppendResult, Tick } from '../store/types';
import type { TickSink } from './sink';

export interface OutputHealth {
  /** What the output is, for people (e.g. "stream nats://127.0.0.1:4222"). */
  name: string;
  connected: boolean;
  /** Ticks waiting to be sent (bounded: beyond the bound the oldest are dropped and counted). */
  queuedTicks: number;
  sentTicks: number;
  /** Ticks another publisher had already sent (or a retry had), so the output skipped them. */
  skippedTicks: number;
  droppedTicks: number;
  retries: number;
  lastSentAt: number | null;
  lastError: string | null;
}

export interface TickOutput {
  /** Takes durable ticks; returns at once (the output queues them and must never block recording). */
  take(ticks: readonly Tick[]): void;
  health(): OutputHealth;
  /** Sends what it can within a bounded time, then disconnects. */
  close(): Promise<void>;
}

/** A sink that hands every batch to `outputs` after `sink.flush()` made it durable. */
export function withOutputs(sink: TickSink, outputs: readonly TickOutput[]): TickSink {
  let pending: (readonly Tick[])[] = [];
  return {
    ...sink,
    append(ticks): AppendResult {
      const result = sink.append(ticks);
      if (result.accepted > 0) pending.push(ticks);
      return result;
    },
    async flush() {
      const taking = pending;
      pending = [];
      try {
        const stats = await sink.flush();
        const durable = taking.length === 1 ? taking[0] : taking.flat();
        if (durable.length > 0) for (const o of outputs) o.take(durable);
        return stats;
      } catch (err) {
        // The store keeps the ticks and retries with its next flush; so do we.
        pending = taking.concat(pending);
        throw err;
      }
    },
    async close() {
      try {
        await sink.close();
        // The store's close flushed the last ticks: they are durable too.
        const last = pending.flat();
        pending = [];
        if (last.length > 0) for (const o of outputs) o.take(last);
      } finally {
        await Promise.all(outputs.map((o) => o.close()));
      }
    },
  };
}
