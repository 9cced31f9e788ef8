// `pairs-lab consume`: writes a store directory from the tick stream on NATS JetStream until SIGTERM/SIGINT.
import path from 'node:path';
import type { Command } from './commands';
import { replicas } from './nats-options';
import { parseArgs } from './record';
import { binanceFuturesRestUrl } from '../feed/binance-futures';

export const consumeUsage = `usage: pairs-lab consume --nats URL[,URL…] --data DIR [--durable NAME] [--rest-url URL | --no-backfill]
                         [--ack-wait SECONDS] [--nats-replicas N] [--status-every SECONDS]

Writes the store in --data from the JetStream stream TICKS (subjects ticks.<SYMBOL>), written by \`record --nats\`.
  --durable      the durable consumer's name: it resumes where it stopped (default "store"; one name per store)
  --rest-url     where gaps in the stream are backfilled (default the Binance production REST URL)
  --no-backfill  only log gaps in the store's gap log
  --ack-wait     JetStream redelivers what was not acknowledged within this time (default 10)
  --nats-replicas  replicas if this consumer creates the stream before any recorder (default 1; 3 on a 3-node cluster)
Health: <data>/consumer-health.json, rewritten every second.`;

function seconds(v: string | undefined, name: string, fallback: number): number {
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name} must be a positive number of seconds, got "${v}"`);
  return n;
}

export const consumeCommand: Command = {
  summary: 'write a store from the tick stream on NATS JetStream (see record --nats)',
  async run(args) {
    if (args.includes('--help') || args.includes('-h')) {
      process.stdout.write(`${consumeUsage}\n`);
      return 0;
    }
    const { values, flags } = parseArgs(args, { values: ['nats', 'data', 'durable', 'rest-url', 'ack-wait', 'nats-replicas', 'status-every'], flags: ['no-backfill'] });
    const servers = values.get('nats');
    const data = values.get('data');
    if (!servers || !data) throw new Error(`consume needs --nats URL and --data DIR\n\n${consumeUsage}`);
    if (flags.has('no-backfill') && values.has('rest-url')) throw new Error('--no-backfill and --rest-url exclude each other');
    const { startStoreConsumer } = await import('../stream/consumer');
    const dataDir = path.resolve(data);
    const consumer = await startStoreConsumer({
      servers,
      dataDir,
      durable: values.get('durable'),
      restUrl: flags.has('no-backfill') ? null : values.get('rest-url') ?? binanceFuturesRestUrl,
      ackWaitMs: seconds(values.get('ack-wait'), 'ack-wait', 10) * 1000,
      stream: { replicas: replicas(values.get('nats-replicas')) },
    });
    process.stderr.write(`[consume] writing ${dataDir} from ${servers} (durable "${consumer.health().durable}", pid ${process.pid})\n`);
    const every = values.has('status-every') ? Number(values.get('status-every')) * 1000 : 30_000;
    const status = every > 0 ? setInterval(() => {
      const h = consumer.health();
      process.stderr.write(`[consume] ${h.state}: ${h.messages} messages, ${h.ticksStored} ticks stored, backlog ${h.streamBacklog ?? '?'}, gaps ${h.gaps.open} open / ${h.gaps.filled} filled${h.lastError ? `; ${h.lastError}` : ''}\n`);
    }, every) : null;
    await new Promise<void>((resolve) => {
      process.once('SIGTERM', resolve);
      process.once('SIGINT', resolve);
    });
    if (status) clearInterval(status);
    await consumer.stop();
    const h = consumer.health();
    process.stderr.write(`[consume] stopped: ${h.ticksStored} ticks stored, ${h.duplicateTicks} duplicates dropped\n`);
    return 0;
  },
};
