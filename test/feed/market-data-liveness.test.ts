// Stale detection on the new streams: while the exchange keeps its sockets open but sends nothing, each stream kind
// replaces its silent connection within the stale timeout, and records again once data flows.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type Recorder, startRecorder } from '../../src/feed/recorder';
import type { StreamKind } from '../../src/feed/streams';
import { sleep, waitFor } from './helpers';

describe('market-data liveness', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'feed-market-liveness-'));
  let recorder: Recorder | undefined;
  afterAll(async () => {
    await recorder?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('replaces a stalled markPrice and bookTicker connection and records again', async () => {
    recorder = await startRecorder({
      dataDir: dir, symbols: ['BTCUSDT', 'ETHUSDT'], source: 'simulated', healthIntervalMs: 0,
      simulatedExchange: { tradesPerSecond: 50, quotesPerSecond: 50, bursts: false },
      feed: { staleTimeoutMs: 1_500, backoff: { initialMs: 50, maxMs: 500, jitter: 0.2 } },
    });
    const r = recorder;
    const kinds: StreamKind[] = ['markPrice', 'bookTicker'];
    const stored = (k: StreamKind): number => r.health().streams[k]?.stored ?? 0;
    await waitFor(() => kinds.every((k) => stored(k) > 2), 10_000, 'first marks and quotes');
    r.simulatedExchange!.faults.stallConnections();
    await waitFor(() => kinds.every((k) => (r.health().streams[k]?.staleReplacements ?? 0) >= 1), 10_000, 'stale replacements of each kind');
    r.simulatedExchange!.faults.resumeConnections();
    const before = Object.fromEntries(kinds.map((k) => [k, stored(k)]));
    await sleep(100);
    await waitFor(() => kinds.every((k) => stored(k) > before[k] + 2), 10_000, 'recording again after the stall');
  }, 40_000);
});
