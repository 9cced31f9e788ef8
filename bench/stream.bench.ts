// `npm run bench -- stream [--stream-rate 1200] [--stream-phase-s 20]`: the tick stream's done-when scenario at full
// size (test/stream/failover-scenario.ts; the test runs it short): a 3-node JetStream cluster on loopback, two
// `record --nats` processes on the same 12 symbols of one simulated exchange, two `consume` processes; recorder A,
// then the stream leader, then consumer 2 are SIGKILLed (consumer 2 restarts after a phase). One run gives every row.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type BenchOptions, type Benchmark, numberOption } from './harness';
import { defaultSymbols } from '../src/feed/universe';
import { FailoverScenario, type FailoverScenarioReport } from '../test/stream/failover-scenario';

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

const faults = (r: FailoverScenarioReport): number =>
  r.stores.reduce((n, s) => n + s.symbols.reduce((m, x) => m + x.missing + x.duplicates + (x.equalsExchange && x.equalsOtherStores ? 0 : 1), 0), 0);

export const benchmarks: Benchmark[] = [
  {
    group: 'stream',
    name: 'stores unequal to the exchange after recorder, leader and consumer SIGKILLs (ids missing + copies + mismatches)',
    target: { kind: 'max', value: 0 },
    async run(options) {
      const r = await scenario(options);
      return { value: faults(r), unit: 'faults', detail: `2 stores × 12 symbols, ${r.exchangeTrades} trades each, run ${(r.durationMs / 1000).toFixed(0)} s` };
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
    name: 'exchange\'s last trade → in both consumer stores, no hole pending',
    async run(options) {
      const r = await scenario(options);
      return { value: r.drainMs / 1000, unit: 's' };
    },
  },
];
