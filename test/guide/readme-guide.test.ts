// The README's "Tick stream on JetStream" deployment guide, followed on loopback: its marked blocks start three NATS
// machines (ports substituted for 4222/6222/8222), two recorders (the simulated exchange instead of Binance, which is
// not reachable here) and two store consumers, one after the other as an operator would; the notebook block's
// openLab({ nats }) follows live bars. Both stores end equal, contiguous, holding every id the recorders stored from
// the stream's first. By default the blocks run against this working tree (built by `npm test`; the blocks' build
// step is skipped); with PAIRS_LAB_GUIDE_FRESH_CLONE=1 they run in a fresh `git clone` of the committed project,
// setup and build included (minutes: npm ci, the pinned nats-server from PyPI).
import { type ChildProcess, execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { connect } from 'nats';
import { afterAll, describe, expect, it } from 'vitest';
import { openLab } from '../../kernel-lib/src/session/lab';
import { defaultSymbols } from '../../src/feed/universe';
import { type SimulatedExchange, startSimulatedExchange } from '../../src/feed/sim/exchange';
import { readRecorderHealth } from '../../src/feed/health';
import { TICK_STREAM } from '../../src/stream/jetstream';
import { idCheck, storedIds, waitFor } from '../feed/helpers';
import { freePort, projectRoot } from '../support/processes';
import { readConsumerHealth } from '../stream/helpers';
import { type GuideBlock, projectCommands, readmeBlock, runGuideBlock, stopGuideProcess, type Substitution, substitute } from './guide-blocks';

const freshClone = process.env.PAIRS_LAB_GUIDE_FRESH_CLONE === '1';
// In a fresh clone setup and build run for real and take minutes.
const stepMs = freshClone ? 600_000 : 60_000;

describe('README guide: tick stream on a 3-node JetStream cluster', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'guide-stream-'));
  const started: Array<{ name: string; child: ChildProcess; output: () => string }> = [];
  let exchange: SimulatedExchange | undefined;
  afterAll(async () => {
    for (const p of started.reverse()) await stopGuideProcess(p.child);
    await exchange?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Every machine works in one folder (data folders are substituted per machine): the clone, or a scratch folder. */
  const work = freshClone ? path.join(dir, 'clone') : path.join(dir, 'work');
  const where: Substitution[] = freshClone ? [] : [['npm run build --silent', 'true'], ...projectCommands()];
  function run(block: GuideBlock, machine: string, subs: Substitution[]): void {
    started.push({ name: machine, ...runGuideBlock(block, work, [...subs, ...where]) });
  }
  const outputs = () => started.map((p) => `--- ${p.name} (exit ${p.child.exitCode ?? p.child.signalCode ?? 'running'})\n${p.output().slice(-3_000)}`).join('\n');
  const alive = (machine: string) => {
    const p = started.find((s) => s.name === machine);
    if (p && (p.child.exitCode !== null || p.child.signalCode !== null)) throw new Error(`${machine} ended early:\n${outputs()}`);
    return true;
  };

  it(`starts the cluster, records, consumes and follows live bars as the guide says${freshClone ? ' (fresh clone)' : ''}`, async () => {
    if (freshClone) execFileSync('git', ['clone', '--quiet', projectRoot(), work]);
    else mkdirSync(work, { recursive: true });
    const client = [await freePort(), await freePort(), await freePort()];
    const route = [await freePort(), await freePort(), await freePort()];
    const monitor = [await freePort(), await freePort(), await freePort()];
    const hosts: Substitution[] = [1, 2, 3].flatMap((k): Substitution[] => [
      [`host${k}:4222`, `127.0.0.1:${client[k - 1]}`], [`host${k}:6222`, `127.0.0.1:${route[k - 1]}`], [`host${k}:8222`, `127.0.0.1:${monitor[k - 1]}`],
    ]);
    const jsz = (i: number) => fetch(`http://127.0.0.1:${monitor[i]}/jsz`).then((r) => r.json() as Promise<{ meta_cluster?: { leader?: string; cluster_size?: number } }>, () => null);

    const node = readmeBlock('nats-node');
    for (const i of [0, 1, 2]) {
      const machine = `nats-${i + 1}`;
      run(node, machine, [
        [/^NODE=n1$/m, `NODE=n${i + 1}`], ['0.0.0.0:4222', `127.0.0.1:${client[i]}`], ['0.0.0.0:6222', `127.0.0.1:${route[i]}`],
        ['0.0.0.0:8222', `127.0.0.1:${monitor[i]}`], ['max_file_store: 20GB', 'max_file_store: 1GB'], ...hosts,
      ]);
      await waitFor(async () => alive(machine) && (await jsz(i)) !== null, stepMs, `${machine} answering on its monitoring port\n${outputs()}`, 250);
    }
    await waitFor(async () => {
      const meta = (await jsz(0))?.meta_cluster;
      return Boolean(meta?.leader) && meta?.cluster_size === 3;
    }, 60_000, `a JetStream meta leader in the guide's cluster\n${outputs()}`, 250);

    const symbols = [...defaultSymbols];
    exchange = await startSimulatedExchange({ symbols, tradesPerSecond: 120, bursts: false, seed: 47 });
    const dataOf = (machine: string) => path.join(work, `${machine}-data`);
    const record = readmeBlock('record');
    for (const machine of ['recorder-a', 'recorder-b']) {
      run(record, machine, [
        [/\brecord /, `record --ws-url ${exchange.wsUrl} --rest-url ${exchange.restUrl} --status-every 0 `], ['--data ./data ', `--data ./${machine}-data `], ...hosts,
      ]);
      await waitFor(async () => {
        const o = alive(machine) && (await readRecorderHealth(dataOf(machine)))?.outputs[0];
        return Boolean(o) && (o as { sentTicks: number; skippedTicks: number }).sentTicks + (o as { skippedTicks: number }).skippedTicks > 0;
      }, stepMs, `${machine} publishing\n${outputs()}`, 250);
    }
    const consume = readmeBlock('consume');
    for (const k of [1, 2]) {
      const machine = `store-${k}`;
      run(consume, machine, [
        ['store-$(hostname)', machine], [/\bconsume /, `consume --rest-url ${exchange.restUrl} --status-every 0 `], ['--data ./data-stream ', `--data ./${machine}-data `], ...hosts,
      ]);
      await waitFor(async () => alive(machine) && ((await readConsumerHealth(dataOf(machine)))?.ticksStored ?? 0) > 0, stepMs, `${machine} storing\n${outputs()}`, 250);
    }

    const nc = await connect({ servers: client.map((p) => `127.0.0.1:${p}`) });
    try {
      const info = await (await nc.jetstreamManager()).streams.info(TICK_STREAM);
      expect(info.config.num_replicas).toBe(3);
      expect(info.cluster?.replicas).toHaveLength(2);
    } finally {
      await nc.close();
    }
    expect(await (await fetch(`http://127.0.0.1:${monitor[0]}/jsz?streams=true`)).text()).toContain(TICK_STREAM);

    // The notebook block's URL and calls, hosts substituted.
    const notebook = substitute(readmeBlock('notebook').text, hosts);
    const natsUrl = /openLab\(\{ nats: '([^']+)' \}\)/.exec(notebook)?.[1];
    expect(natsUrl, notebook).toBeDefined();
    const lab = await openLab({ nats: natsUrl });
    try {
      const view = await lab.pair('BTCUSDT', 'ETHUSDT', { timeframe: '1s', window: 5, hedge: 'ols', hedgeWindow: 5 });
      const before = view.length;
      await waitFor(async () => { await view.refresh(); return view.length > before; }, 10_000, 'the notebook\'s pair view grows', 200);
    } finally {
      await lab.close();
    }

    for (const p of started.filter((s) => s.name.startsWith('recorder'))) await stopGuideProcess(p.child);
    const union = new Map<string, number[]>();
    for (const m of ['recorder-a', 'recorder-b']) for (const [s, ids] of await storedIds(dataOf(m))) union.set(s, [...new Set([...(union.get(s) ?? []), ...ids])].sort((a, b) => a - b));
    // The stream starts with whichever recorder published first: ids the other recorded before that never enter it.
    const storeDirs = ['store-1', 'store-2'].map(dataOf);
    const expected = async (d: string): Promise<Map<string, number[]>> => {
      const got = await storedIds(d);
      return new Map(symbols.map((s) => [s, (union.get(s) ?? []).filter((id) => id >= (got.get(s)?.[0] ?? Infinity))]));
    };
    await waitFor(async () => {
      for (const d of storeDirs) {
        const got = await storedIds(d);
        const want = await expected(d);
        if (!symbols.every((s) => (got.get(s)?.length ?? 0) >= (want.get(s)?.length ?? 0) && (want.get(s)?.length ?? 0) > 0)) return false;
      }
      return true;
    }, 30_000, `both stores caught up with the recorders\n${outputs()}`, 250);
    const first = await storedIds(storeDirs[0]);
    for (const d of storeDirs) {
      const got = await storedIds(d);
      const want = await expected(d);
      for (const s of symbols) {
        expect(idCheck(got.get(s) ?? []), `${d} ${s}`).toMatchObject({ missing: 0, duplicates: 0 });
        expect(got.get(s), `${d} ${s}`).toEqual(want.get(s));
        expect(got.get(s), `${d} ${s}`).toEqual(first.get(s));
      }
    }
  }, freshClone ? 1_800_000 : 180_000);
});
