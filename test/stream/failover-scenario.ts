// The tick stream's done-when scenario, shared by its test (short) and its bench row (full size): a 3-node JetStream
// cluster, two `record --nats` processes publishing the same symbols from one simulated exchange (active-active), two
// `consume` processes writing a store each. Recorder A is SIGKILLed, then the stream leader, then consumer 2, which is
// restarted. Once the exchange stops trading, every store must hold each symbol's ids contiguous, once, equal to each
// other and to the exchange's trades. A kernel's `openLab({ nats })`, opened before the faults, must end with the same
// ticks as the stores from its first on. Waits are on states that stay true (health files, stored ids, stream state).
import { type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { type Lab, openLab } from '../../kernel-lib/src/session/lab';
import { readRecorderHealth } from '../../src/feed/health';
import { type SimulatedExchange, startSimulatedExchange } from '../../src/feed/sim/exchange';
import { idCheck, sleep, storedIds, waitFor } from '../feed/helpers';
import { readConsumerHealth, startConsumerCli, startRecorderCli, stopChildByPid, streamIds } from './helpers';
import { createReplicatedTickStream, type NatsNode, startNatsCluster, stopNode, tickStreamState } from './nats-server';

export interface FailoverScenarioOptions {
  /** Working directory (cluster stores, recorder and consumer stores). */
  dir: string;
  symbols: readonly string[];
  /** Trades per second of the simulated exchange over all symbols. */
  tradesPerSecond: number;
  /** Steady running between the faults, ms. */
  phaseMs: number;
  /** Longest wait for any one state, ms. */
  waitMs?: number;
  log?: (line: string) => void;
}

export interface StoreCheck {
  store: string;
  /** Per symbol: ids held, missing between first and last, duplicates, and whether they equal the exchange's. */
  symbols: Array<{ symbol: string; count: number; missing: number; duplicates: number; equalsExchange: boolean; equalsOtherStores: boolean }>;
}

export interface FailoverScenarioReport {
  /** The kernel that followed the stream: per symbol, its ticks against the stream's (from its first), and how many of store 1's it lacks (holes in the stream). */
  lab: Array<{ symbol: string; count: number; duplicates: number; equalsStream: boolean; lacksVsStores: number }>;
  /** Holes in the stream each consumer filled over REST. */
  gapsFilled: number[];
  /** Trades the exchange made per symbol from the first stored id on (the stores' expected contents). */
  exchangeTrades: number;
  stores: StoreCheck[];
  /** Messages and ticks the stream carried per second over the whole run (the exchange's rate, not a capacity). */
  streamMessagesPerSecond: number;
  streamTicksPerSecond: number;
  /** From the leader's SIGKILL to the first message appended on the new leader, ms. */
  publishOutageMs: number;
  killedLeader: string;
  newLeader: string;
  /** From the restart of consumer 2 (down for a phase) until its store holds everything recorder B's held at that moment, ms. */
  consumerCatchUpMs: number;
  /** Ids consumer 2 stored from its kill to its catch-up, per second of catch-up. */
  consumerCatchUpTicksPerSecond: number;
  /** From the exchange's last trade to every store holding it, ms. */
  drainMs: number;
  durationMs: number;
}

/** Handles of what the scenario started, so that a failing run is still cleaned up by `stopAll`. */
export class FailoverScenario {
  nodes: NatsNode[] = [];
  exchange: SimulatedExchange | undefined;
  lab: Lab | undefined;
  readonly children: ChildProcess[] = [];

  constructor(private readonly opts: FailoverScenarioOptions) {}

  private log(line: string): void {
    this.opts.log?.(line);
  }

  private spawned(child: ChildProcess): ChildProcess {
    this.children.push(child);
    return child;
  }

  async stopAll(): Promise<void> {
    await this.lab?.close().catch(() => undefined);
    for (const c of this.children) await stopChildByPid(c, 'SIGKILL');
    await this.exchange?.close();
    for (const n of this.nodes) await stopNode(n);
  }

  async run(): Promise<FailoverScenarioReport> {
    const { dir, symbols, phaseMs } = this.opts;
    const waitMs = this.opts.waitMs ?? 60_000;
    const startedAt = Date.now();
    mkdirSync(dir, { recursive: true });
    this.nodes = await startNatsCluster(path.join(dir, 'nats'));
    const urls = this.nodes.map((n) => n.url);
    const servers = urls.join(',');
    const firstLeader = await createReplicatedTickStream(this.nodes);
    this.log(`cluster up, stream leader ${firstLeader} (${Date.now() - startedAt} ms)`);

    const exchange = await startSimulatedExchange({ symbols, tradesPerSecond: this.opts.tradesPerSecond, bursts: false, seed: 43 });
    this.exchange = exchange;
    const storeDirs = [path.join(dir, 'store-1'), path.join(dir, 'store-2')];
    const consumer = (i: number) => this.spawned(startConsumerCli(servers, storeDirs[i], exchange.restUrl, ['--durable', `store-${i + 1}`, '--nats-replicas', '3']));
    consumer(0);
    let consumer2 = consumer(1);
    const recorderDirs = [path.join(dir, 'recorder-a'), path.join(dir, 'recorder-b')];
    const recorders = recorderDirs.map((d) => this.spawned(startRecorderCli(exchange, servers, d, symbols, ['--nats-replicas', '3'])));
    const published = async (d: string) => {
      const o = (await readRecorderHealth(d))?.outputs[0];
      return (o?.sentTicks ?? 0) + (o?.skippedTicks ?? 0);
    };
    await waitFor(async () => (await published(recorderDirs[0])) > 0 && (await published(recorderDirs[1])) > 0, waitMs, 'both recorders publishing', 100);
    this.log('both recorders publishing');
    const lab = await openLab({ nats: servers });
    this.lab = lab;
    await sleep(phaseMs);

    await stopChildByPid(recorders[0], 'SIGKILL');
    const bAtKill = await published(recorderDirs[1]);
    await waitFor(async () => (await published(recorderDirs[1])) > bAtKill, waitMs, 'recorder B publishing alone', 100);
    this.log('recorder A killed; B carries the stream');
    await sleep(phaseMs / 2);

    const before = await tickStreamState(urls);
    if (!before) throw new Error('stream state unreadable before the leader kill');
    const killed = this.nodes.find((n) => n.name === before.leader);
    if (!killed) throw new Error(`stream leader "${before.leader}" is none of ${this.nodes.map((n) => n.name).join(', ')}`);
    await stopNode(killed, 'SIGKILL');
    const killedAt = Date.now();
    const survivors = this.nodes.filter((n) => n !== killed).map((n) => n.url);
    let after: Awaited<ReturnType<typeof tickStreamState>> = null;
    await waitFor(async () => {
      after = await tickStreamState(survivors, 500);
      return after !== null && after.leader !== '' && after.leader !== killed.name && after.lastSeq > before.lastSeq;
    }, waitMs, 'a message appended on the new stream leader', 50);
    const publishOutageMs = Date.now() - killedAt;
    const newLeader = (after as { leader: string } | null)?.leader ?? '';
    this.log(`leader ${killed.name} killed; ${newLeader} appended again after ${publishOutageMs} ms`);
    await sleep(phaseMs / 2);

    // Consumer 2 stays down for a phase, so that it restarts behind; recorder B's store is the reference it must reach.
    await stopChildByPid(consumer2, 'SIGKILL');
    const storedAtKill = count(await storedIds(storeDirs[1]));
    await sleep(phaseMs);
    const referenceAtRestart = await storedIds(recorderDirs[1]);
    consumer2 = consumer(1);
    const restartedAt = Date.now();
    await waitFor(async () => covers(await storedIds(storeDirs[1]), referenceAtRestart), waitMs, 'restarted consumer caught up with recorder B', 100);
    const consumerCatchUpMs = Date.now() - restartedAt;
    const caughtUpIds = count(await storedIds(storeDirs[1])) - storedAtKill;
    this.log(`consumer 2 down ${phaseMs} ms, restarted; caught up with recorder B's store in ${consumerCatchUpMs} ms (${caughtUpIds} ticks)`);
    await sleep(phaseMs / 2);

    // The end state: the exchange stops trading; every store must reach its last id per symbol.
    exchange.setTradesPerSecond(0);
    await sleep(200);
    const lastIds = new Map(symbols.map((s) => [s, exchange.market.nextAggId(s) - 1]));
    const lastTradeAt = Date.now();
    const reached = async (d: string) => {
      const ids = await storedIds(d);
      return symbols.every((s) => ids.get(s)?.at(-1) === lastIds.get(s));
    };
    await waitFor(async () => (await reached(storeDirs[0])) && (await reached(storeDirs[1])), waitMs, 'both stores hold the exchange\'s last trades', 200);
    await waitFor(async () => reached(lab.dataDir), waitMs, `the lab holds the exchange's last trades (${JSON.stringify(lab.streamHealth())})`, 200);
    // Holes are backfilled after the consumers' grace period: wait until none is pending and no gap is open.
    await waitFor(async () => {
      for (const d of storeDirs) {
        const h = await readConsumerHealth(d);
        if (!h || h.pendingHoleIds > 0 || h.gaps.open > 0) return false;
      }
      return true;
    }, waitMs, 'no hole pending in either consumer', 200);
    const drainMs = Date.now() - lastTradeAt;
    const gapsFilled = await Promise.all(storeDirs.map(async (d) => (await readConsumerHealth(d))?.gaps.filled ?? -1));
    this.log(`gaps filled over REST by the consumers: ${gapsFilled.join(', ')}; lab ${JSON.stringify(lab.streamHealth())}`);
    const final = await tickStreamState(survivors);

    const labIds = await storedIds(lab.dataDir);
    const contents = await Promise.all(storeDirs.map((d) => storedIds(d)));
    // A lab mirrors the stream and nothing else: ids missing from the stream (which consumers fill over REST) stay
    // missing in its bars. It must hold exactly the stream's ids from its first on.
    const stream = await streamIds(survivors.join(','));
    const labSymbols = symbols.map((s) => {
      const ids = labIds.get(s) ?? [];
      const from = ids[0] ?? Infinity;
      const inStream = [...new Set(stream.ids.get(s) ?? [])].sort((a, b) => a - b).filter((id) => id >= from);
      const have = new Set(ids);
      const lacksVsStores = (contents[0].get(s) ?? []).filter((id) => id >= from && !have.has(id)).length;
      return { symbol: s, count: ids.length, duplicates: idCheck(ids).duplicates, equalsStream: sameIds(ids, inStream), lacksVsStores };
    });
    const streamHoles = labSymbols.reduce((n, x) => n + x.lacksVsStores, 0);
    if (streamHoles > 0) this.log(`the stream lacked ${streamHoles} ids that the consumers backfilled over REST (the lab has them not)`);
    let exchangeTrades = 0;
    const stores: StoreCheck[] = storeDirs.map((d, i) => ({
      store: path.basename(d),
      symbols: symbols.map((s) => {
        const ids = contents[i].get(s) ?? [];
        const check = idCheck(ids);
        const fromExchange = exchange.market.fromId(s, ids[0] ?? 0, ids.length + 1).map((t) => t.aggId);
        return {
          symbol: s, count: ids.length, missing: check.missing, duplicates: check.duplicates,
          equalsExchange: sameIds(ids, fromExchange),
          equalsOtherStores: contents.every((c) => sameIds(c.get(s) ?? [], ids)),
        };
      }),
    }));
    for (const s of symbols) exchangeTrades += (lastIds.get(s) ?? 0) - (contents[0].get(s)?.[0] ?? 0) + 1;
    const durationMs = Date.now() - startedAt;
    const streamTicks = count(contents[0]);
    return {
      exchangeTrades, stores, lab: labSymbols, gapsFilled,
      streamMessagesPerSecond: ((final?.messages ?? 0) * 1000) / durationMs,
      streamTicksPerSecond: (streamTicks * 1000) / durationMs,
      publishOutageMs, killedLeader: killed.name, newLeader,
      consumerCatchUpMs, consumerCatchUpTicksPerSecond: (caughtUpIds * 1000) / Math.max(1, consumerCatchUpMs),
      drainMs, durationMs,
    };
  }
}

function count(ids: ReadonlyMap<string, readonly number[]>): number {
  let n = 0;
  for (const list of ids.values()) n += list.length;
  return n;
}

/** True when `store` holds at least every symbol's ids up to the last one in `reference`. */
function covers(store: ReadonlyMap<string, readonly number[]>, reference: ReadonlyMap<string, readonly number[]>): boolean {
  for (const [s, ids] of reference) {
    const last = ids.at(-1);
    if (last !== undefined && (store.get(s)?.at(-1) ?? -1) < last) return false;
  }
  return true;
}

function sameIds(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}
