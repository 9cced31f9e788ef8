// The tick stream's JetStream settings and the connection both the publisher and the consumer use.
import { connect, type JetStreamManager, type NatsConnection, NatsError, RetentionPolicy, StorageType, nanos } from 'nats';

export const TICK_STREAM = 'TICKS';
export const tickSubject = (symbol: string): string => `ticks.${symbol}`;

export interface TickStreamSettings {
  /** Copies of every message on a cluster (1 on a single server; 3 on a 3-node cluster). Default 1. */
  replicas?: number;
  /** How long JetStream remembers message ids to drop a repeated publish. Default 2 minutes. */
  duplicateWindowMs?: number;
  /** Oldest ticks are dropped beyond this age. Default 7 days: consumers down longer resume from REST backfill. */
  maxAgeMs?: number;
}

/** JetStream API error codes the stream code reacts to (nats-server's errors.json). */
export const apiErrors = {
  streamNotFound: 10059,
  consumerNotFound: 10014,
  noMessageFound: 10037,
  wrongLastSequence: 10071,
} as const;

export function apiErrorCode(err: unknown): number | null {
  return err instanceof NatsError ? err.api_error?.err_code ?? null : null;
}

export function describeError(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * Connects and keeps reconnecting forever: an unreachable server at start is retried the same way as a lost one.
 * The promise resolves on the first successful connection.
 */
export function connectNats(servers: string, name: string): Promise<NatsConnection> {
  return connect({
    servers: servers.split(',').map((s) => s.trim()).filter(Boolean),
    name,
    waitOnFirstConnect: true,
    maxReconnectAttempts: -1,
    reconnectTimeWait: 250,
    reconnectJitter: 100,
    pingInterval: 5_000,
  });
}

/** Creates the stream `TICKS` on `ticks.*` unless it exists; an existing stream is used as it is. */
export async function ensureTickStream(jsm: JetStreamManager, settings: TickStreamSettings = {}): Promise<void> {
  try {
    await jsm.streams.info(TICK_STREAM);
    return;
  } catch (err) {
    if (apiErrorCode(err) !== apiErrors.streamNotFound) throw err;
  }
  try {
    await jsm.streams.add({
      name: TICK_STREAM,
      subjects: ['ticks.*'],
      retention: RetentionPolicy.Limits,
      storage: StorageType.File,
      num_replicas: settings.replicas ?? 1,
      duplicate_window: nanos(settings.duplicateWindowMs ?? 120_000),
      max_age: nanos(settings.maxAgeMs ?? 7 * 86_400_000),
    });
  } catch (err) {
    // Another publisher or consumer created it meanwhile.
    if (!/already in use/i.test(describeError(err))) throw err;
  }
}
