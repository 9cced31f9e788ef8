// `npm run bench -- stream [--stream-rate 1200] [--stream-phase-s 20]`: the tick stream's done-when scenario at full
// size (test/stream/failover-scenario.ts; the test runs it short): a 3-node JetStream cluster on loopback, two
// `record --nats` processes on the same 12 symbols of one simulated exchange, two `consume` processes; recorder A,
// then the stream leader, then consumer 2 are SIGKILLed (consumer 2 restarts after a phase). One run gives every row.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { connect } from 'nats';
import { type BenchOptions, type Benchmark, numberOption } from './harness';
import { openLab } from '../kernel-lib/src/session/lab';
import { defaultSymbols } from '../src/feed/universe';
import { ensureTickStream, tickSubject } from '../src/stream/jetstream';
import { batchMessageId, encodeTickBatch } from '../src/stream/tick-codec';
import type { Tick } from '../src/store';
import { FailoverScenario, type FailoverScenarioReport } from '../test/stream/failover-scenario';
import { startNatsServer, stopNode } from '../test/stream/nats-server';

let run: Promise<FailoverScenarioReport> | null = null;

function scenario(options: BenchOptions): Promise<FailoverScenarioReport> {
  run ??= (async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'bench-stream-'));
    const s = new FailoverScenario({
      dir, symbols: defaultSymbols.slice(0, 12),
      tradesPerSecond: numberOption(options, 'stream-rate', 1_200),
      phaseMs: numberOption(options, 'stream-phase-s', 20) * 1000,
      waitMs: 120_000,
      log: (line) => process.stderr.write(`[bench stream] ${line}\n`),
    });
    try {
      return await s.run();
    } finally {
      await s.stopAll();
      rmSync(dir, { recursive: true, force: true });
    }
  })();
  return run;
}

/**
 * A kernel opening on the stream: `--stream-lab-ticks` ticks of 12 symbols (default 144,000: an hour at Binance's
 * ~40 trades/s) published `--stream-lab-batch` ticks a message (default 1: at that rate a recorder's 250 ms flush holds
 * about one tick per symbol), then `openLab({ nats, natsFrom: 0 })` timed until its store holds them all (the replay),
 * and the bars checked to count every tick.
 */
async function labReplay(options: BenchOptions): Promise<{ seconds: number; ticks: number; messages: number }> {
  const total = numberOption(options, 'stream-lab-ticks', 144_000);
  const batch = Math.max(1, Math.round(numberOption(options, 'stream-lab-batch', 1)));
  const symbols = defaultSymbols.slice(0, 12);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bench-stream-lab-'));
  const node = await startNatsServer(path.join(dir, 'nats'));
  try {
    const nc = await connect({ servers: node.url });
    const perSymbol = Math.ceil(total / symbols.length);
    const start = Date.now() - perSymbol * 25;
    let messages = 0;
    try {
      await ensureTickStream(await nc.jetstreamManager());
      const js = nc.jetstream();
      const pending: Promise<unknown>[] = [];
      for (const symbol of symbols) {
        for (let first = 0; first < perSymbol; first += batch) {
          const ticks: Tick[] = [];
          for (let id = first; id < Math.min(perSymbol, first + batch); id++) {
            const tradeTime = start + id * 25;
            ticks.push({ symbol, aggId: id, tradeTime, price: 100 + (id % 50) / 10, qty: 1 + (id % 7), isBuyerMaker: id % 2 === 0, recvTime: tradeTime + 5 });
          }
          pending.push(js.publish(tickSubject(symbol), encodeTickBatch({ symbol, ticks }), { msgID: batchMessageId(symbol, ticks[0].aggId, ticks[ticks.length - 1].aggId) }));
          messages++;
          if (pending.length >= 1_000) await Promise.all(pending.splice(0));
        }
      }
      await Promise.all(pending);
    } finally {
      await nc.close();
    }
    const t0 = performance.now();
    const lab = await openLab({ nats: node.url, natsFrom: 0 });
    const seconds = (performance.now() - t0) / 1000;
    try {
      let ticks = 0;
      for (const symbol of symbols) ticks += (await lab.bars(symbol, '1m')).trades.reduce((n, t) => n + t, 0);
      if (ticks !== perSymbol * symbols.length) throw new Error(`the lab's bars count ${ticks} ticks, ${perSymbol * symbols.length} published`);
      return { seconds, ticks, messages };
    } finally {
      await lab.close();
    }
  } finally {
    await stopNode(node);
    rmSync(dir, { recursive: true, force: true });
  }
}

const faults = (r: FailoverScenarioReport): number =>
  r.stores.reduce((n, s) => n + s.symbols.reduce((m, x) => m + x.missing + x.duplicates + (x.equalsExchange && x.equalsOtherStores ? 0 : 1), 0), 0)
  + r.lab.reduce((n, x) => n + x.duplicates + (x.equalsStream ? 0 : 1), 0);

export const benchmarks: Benchmark[] = [
  {
    group: 'stream',
    name: 'stores unequal to the exchange, or a lab unequal to the stream, after recorder, leader and consumer SIGKILLs (ids missing + copies + mismatches)',
    target: { kind: 'max', value: 0 },
    async run(options) {
      const r = await scenario(options);
      const holes = r.lab.reduce((n, x) => n + x.lacksVsStores, 0);
      return { value: faults(r), unit: 'faults', detail: `2 stores × 12 symbols, ${r.exchangeTrades} trades each, and openLab({ nats }) (equal to the stream; ${holes} ids the stream lacked, filled in the stores over REST); run ${(r.durationMs / 1000).toFixed(0)} s` };
    },
  },
  {
    group: 'stream',
    name: 'publish outage when the stream leader is SIGKILLed (3 nodes, 3 replicas)',
    target: { kind: 'max', value: 15 },
    async run(options) {
      const r = await scenario(options);
      return { value: r.publishOutageMs / 1000, unit: 's', detail: `leader ${r.killedLeader} killed → first append on ${r.newLeader}; the recorder queues meanwhile` };
    },
  },
  {
    group: 'stream',
    name: 'ticks carried by the stream (12 symbols, two recorders active-active)',
    async run(options) {
      const r = await scenario(options);
      return { value: r.streamTicksPerSecond, unit: 'ticks/s', detail: `${r.streamMessagesPerSecond.toFixed(0)} messages/s: the exchange's rate over the run, not a capacity` };
    },
  },
  {
    group: 'stream',
    name: 'store consumer catch-up after SIGKILL and a phase down',
    async run(options) {
      const r = await scenario(options);
      return { value: r.consumerCatchUpMs / 1000, unit: 's', detail: `${r.consumerCatchUpTicksPerSecond.toFixed(0)} ticks/s stored while catching up with the live recorder's store` };
    },
  },
  {
    group: 'stream',
    name: 'openLab({ nats }) replaying an hour of 12 symbols at Binance\'s rate (one tick a message)',
    async run(options) {
      const r = await labReplay(options);
      return { value: r.seconds, unit: 's', detail: `${r.ticks} ticks in ${r.messages} messages: ${(r.ticks / r.seconds).toFixed(0)} ticks/s into the lab's store, every tick in its bars` };
    },
  },
  {
    group: 'stream',
    name: 'exchange\'s last trade → in both consumer stores, no hole pending',
    async run(options) {
      const r = await scenario(options);
      return { value: r.drainMs / 1000, unit: 's' };
    },
  },
];
