// Helpers of the stream tests: the consumer CLI as a child process, its health, and the stream's contents.
import { type ChildProcess, spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { connect } from 'nats';
import { consumerHealthFileName, type StoreConsumerHealth } from '../../src/stream/consumer';
import { decodeTickBatch } from '../../src/stream/tick-codec';
import { TICK_STREAM } from '../../src/stream/jetstream';
import { projectRoot } from '../support/processes';

const root = projectRoot();
export const cli = path.join(root, 'dist', 'src', 'cli', 'main.js');

export function startConsumerCli(natsUrl: string, dataDir: string, restUrl: string, extra: string[] = []): ChildProcess {
  const child = spawn(process.execPath, [
    cli, 'consume', '--nats', natsUrl, '--data', dataDir, '--rest-url', restUrl, '--ack-wait', '2', '--status-every', '0', ...extra,
  ], { cwd: root, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => { stderr += d.toString(); });
  child.on('exit', (code) => { if (code) process.stderr.write(`consumer exited ${code}: ${stderr}\n`); });
  return child;
}

/** `record --nats` from the simulated exchange at `exchange` into `dataDir`, as a child process. */
export function startRecorderCli(
  exchange: { wsUrl: string; restUrl: string }, natsUrl: string, dataDir: string, symbols: readonly string[], extra: string[] = [],
): ChildProcess {
  return spawn(process.execPath, [
    cli, 'record', '--symbols', symbols.join(','), '--data', dataDir, '--ws-url', exchange.wsUrl, '--rest-url', exchange.restUrl,
    '--flush-interval', '100', '--status-every', '0', '--nats', natsUrl, ...extra,
  ], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
}

export async function readConsumerHealth(dataDir: string): Promise<StoreConsumerHealth | null> {
  try {
    return JSON.parse(await readFile(path.join(dataDir, consumerHealthFileName), 'utf8')) as StoreConsumerHealth;
  } catch {
    return null;
  }
}

/** Every message of the stream, decoded: ids per symbol in stream order (copies kept, to be counted). */
export async function streamIds(natsUrl: string): Promise<{ messages: number; ids: Map<string, number[]> }> {
  const nc = await connect({ servers: natsUrl });
  try {
    const jsm = await nc.jetstreamManager();
    const info = await jsm.streams.info(TICK_STREAM);
    const ids = new Map<string, number[]>();
    for (let seq = info.state.first_seq; seq <= info.state.last_seq; seq++) {
      const m = await jsm.streams.getMessage(TICK_STREAM, { seq });
      const b = decodeTickBatch(m.data);
      const list = ids.get(b.symbol) ?? [];
      for (const t of b.ticks) list.push(t.aggId);
      ids.set(b.symbol, list);
    }
    return { messages: info.state.messages, ids };
  } finally {
    await nc.close();
  }
}

/** Stops a child by pid with `signal` and waits for its exit. */
export async function stopChildByPid(child: ChildProcess | undefined, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (!child || child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  process.kill(child.pid, signal);
  await exited;
}
