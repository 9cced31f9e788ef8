// `pairs-lab record`: runs the recorder as a service until SIGTERM/SIGINT, then flushes and exits within 5 s.
import path from 'node:path';
import type { Command } from './commands';
import { startRecorder, type RecorderSource } from '../feed/recorder';
import type { RecorderHealth } from '../feed/health';
import { defaultSymbols } from '../feed/universe';
import { acceleratedClock, type Clock } from '../feed/clock';
import { replicas } from './nats-options';
import type { TickOutput } from '../feed/outputs';
import { parseStreamKinds } from '../feed/streams';

export const recordUsage = `usage: pairs-lab record [--symbols BTCUSDT,ETHUSDT] [--data ./data] [--sim | --ws-url URL --rest-url URL]
                        [--streams aggTrade,markPrice,bookTicker] [--funding-history-days DAYS]
                        [--stale-timeout SECONDS] [--flush-interval MS] [--status-every SECONDS]
                        [--sim-rate TRADES_PER_S] [--sim-clock-start ISO_TIME] [--sim-clock-speed FACTOR]
                        [--nats URL[,URL…] [--nats-replicas N]] [--lake DIR|s3://BUCKET/PREFIX [--s3-endpoint URL]]

Records Binance USD-M futures aggTrades, mark prices, funding and best bid/ask into the store in --data (default
./data, or ./data-sim with --sim).
  --symbols          comma-separated symbols (default: ${defaultSymbols.join(',')})
  --streams          what to record (default all three): aggTrade always; markPrice (markPrice@1s and funding
                     history from GET /fapi/v1/fundingRate); bookTicker (best bid/ask); e.g. --streams aggTrade
  --funding-history-days  funding history fetched at start for a symbol with none stored (default 30)
  --sim              record from a simulated exchange started in this process (offline)
  --ws-url/--rest-url  another exchange endpoint (default the Binance production URLs)
  --stale-timeout    replace a connection silent this long (default 30)
  --flush-interval   store flush period in ms (default 250)
  --status-every     print a status line this often, 0 for never (default 30)
  --exit-with-parent stop when the parent process goes away (used by npm start)
  --sim-rate         with --sim: mean trades per second of simulated time over all symbols (default 40)
  --sim-clock-start  with --sim: the simulated clock starts at this UTC time (e.g. 2026-12-03T23:50:00Z)
  --sim-clock-speed  with --sim: the simulated clock runs this many times faster than wall time (soaks)
  --nats             also publish every durable batch to the JetStream stream TICKS (subjects ticks.<SYMBOL>);
                     recording goes on while NATS is down (queued, bounded; see "outputs" in the health file)
  --nats-replicas    replicas when this recorder creates the stream (default 1; 3 on a 3-node cluster)
  --lake             also export each closed UTC day, once compaction has merged it, to this Parquet lake (as
                     \`pairs-lab export\` does); export errors show in the health file's "outputs", recording goes on
  --s3-endpoint      the S3 endpoint of an s3:// lake (default AWS_ENDPOINT_URL; credentials from AWS_ACCESS_KEY_ID
                     and AWS_SECRET_ACCESS_KEY)
Health: <data>/recorder-health.json, rewritten every second.`;

/** `--name value` options and bare `--flag`s; throws for anything not in `known`. */
export function parseArgs(args: string[], known: { values: string[]; flags: string[] }): { values: Map<string, string>; flags: Set<string> } {
  const values = new Map<string, string>();
  const flags = new Set<string>();
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const name = a.replace(/^--/, '');
    const eq = name.indexOf('=');
    if (!a.startsWith('--')) throw new Error(`unexpected argument "${a}"`);
    if (eq > 0 && known.values.includes(name.slice(0, eq))) values.set(name.slice(0, eq), name.slice(eq + 1));
    else if (known.flags.includes(name)) flags.add(name);
    else if (known.values.includes(name)) {
      if (i + 1 >= args.length) throw new Error(`--${name} needs a value`);
      values.set(name, args[++i]);
    } else throw new Error(`unknown option "${a}"`);
  }
  return { values, flags };
}

function positiveNumber(v: string | undefined, name: string, fallback: number): number {
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0) throw new Error(`--${name} must be a non-negative number, got "${v}"`);
  return n;
}

/** The clock of a simulated recording that starts elsewhere in time or runs faster; null for the system clock. */
function simulatedClock(values: Map<string, string>): Clock | null {
  if (!values.has('sim-clock-start') && !values.has('sim-clock-speed')) return null;
  const speed = positiveNumber(values.get('sim-clock-speed'), 'sim-clock-speed', 1);
  if (speed === 0) throw new Error('--sim-clock-speed must be > 0');
  const startText = values.get('sim-clock-start');
  const start = startText === undefined ? Date.now() : Date.parse(startText);
  if (!Number.isFinite(start)) throw new Error(`--sim-clock-start must be an ISO time such as 2026-12-03T23:50:00Z, got "${startText}"`);
  return acceleratedClock(speed, start);
}

function statusLine(h: RecorderHealth): string {
  const age = h.lastMessageAgeMs === null ? 'none yet' : `${(h.lastMessageAgeMs / 1000).toFixed(1)} s ago`;
  const bad = Object.values(h.badFrames).reduce((a, b) => a + b, 0);
  return `[record] ${h.state}${h.simulated ? ' (SIMULATED)' : ''}: ${h.messagesPerSec.toFixed(0)} msg/s, last message ${age}, ` +
    `${h.store.storedTicks} stored, reconnects ${h.reconnects}, bad frames ${bad}, gaps ${h.gaps.open} open / ${h.gaps.filled} filled / ${h.gaps.abandoned} abandoned, ` +
    `store lag ${(h.store.lagMs / 1000).toFixed(1)} s${h.lastError ? `; ${h.lastError}` : ''}\n`;
}

export const recordCommand: Command = {
  summary: 'record Binance USD-M futures trades into the store (--sim for the simulated exchange)',
  async run(args) {
    if (args.includes('--help') || args.includes('-h')) {
      process.stdout.write(`${recordUsage}\n`);
      return 0;
    }
    const { values, flags } = parseArgs(args, {
      values: ['symbols', 'data', 'ws-url', 'rest-url', 'stale-timeout', 'flush-interval', 'status-every', 'sim-rate', 'sim-clock-start', 'sim-clock-speed', 'nats', 'nats-replicas', 'lake', 's3-endpoint', 'streams', 'funding-history-days'],
      flags: ['sim', 'exit-with-parent'],
    });
    const sim = flags.has('sim');
    const simClock = simulatedClock(values);
    if (!sim && (simClock || values.has('sim-rate'))) throw new Error('--sim-rate and --sim-clock-* need --sim');
    if (sim && (values.has('ws-url') || values.has('rest-url'))) throw new Error('--sim and --ws-url/--rest-url exclude each other');
    if (values.has('ws-url') !== values.has('rest-url')) throw new Error('give both --ws-url and --rest-url (the REST endpoint validates symbols and backfills gaps)');
    const source: RecorderSource = sim ? 'simulated' : values.has('ws-url') ? { wsUrl: values.get('ws-url') as string, restUrl: values.get('rest-url') as string } : 'binance';
    const dataDir = path.resolve(values.get('data') ?? (sim ? './data-sim' : './data'));
    const symbols = values.has('symbols') ? (values.get('symbols') as string).split(',') : defaultSymbols;
    if (values.has('nats-replicas') && !values.has('nats')) throw new Error('--nats-replicas needs --nats URL');
    const natsUrl = values.get('nats');
    // Loaded only with --nats: recording without a stream never loads the NATS client.
    const outputs: TickOutput[] = natsUrl === undefined ? [] : [new (await import('../stream/publisher')).StreamPublisher({
      servers: natsUrl,
      stream: { replicas: replicas(values.get('nats-replicas')) },
    })];
    if (values.has('s3-endpoint') && !values.has('lake')) throw new Error('--s3-endpoint needs --lake s3://bucket/prefix');
    const lake = values.get('lake');
    if (lake !== undefined) {
      const { LakeOutput, parseLakeUri } = await import('../lake');
      parseLakeUri(lake);
      const endpoint = values.get('s3-endpoint');
      const clock = simClock;
      outputs.push(new LakeOutput({
        data: dataDir,
        lake,
        ...(endpoint ? { s3: { endpoint } } : {}),
        ...(clock ? { now: () => clock.now() } : {}),
        log: (message) => process.stderr.write(`[record] ${message}\n`),
      }));
    }
    const recorder = await startRecorder({
      outputs,
      dataDir,
      symbols,
      source,
      ...(values.has('streams') ? { streams: parseStreamKinds(values.get('streams') as string) } : {}),
      ...(values.has('funding-history-days') ? { fundingHistoryDays: positiveNumber(values.get('funding-history-days'), 'funding-history-days', 30) } : {}),
      feed: { staleTimeoutMs: positiveNumber(values.get('stale-timeout'), 'stale-timeout', 30) * 1000 },
      flushIntervalMs: positiveNumber(values.get('flush-interval'), 'flush-interval', 250),
      ...(simClock ? { clock: simClock } : {}),
      ...(values.has('sim-rate') ? { simulatedExchange: { tradesPerSecond: positiveNumber(values.get('sim-rate'), 'sim-rate', 40) } } : {}),
      log: (message) => process.stderr.write(`[record] ${message}\n`),
    });
    const h = recorder.health();
    process.stderr.write(`[record] ${h.state === 'recording' ? 'recording' : 'starting'} ${recorder.symbols.length} symbols from ${h.simulated ? 'the SIMULATED exchange' : h.source.wsUrl} into ${dataDir} (pid ${process.pid})\n`);
    if (h.lastError) process.stderr.write(`[record] ${h.lastError}\n`);
    const every = positiveNumber(values.get('status-every'), 'status-every', 30) * 1000;
    const status = every > 0 ? setInterval(() => process.stderr.write(statusLine(recorder.health())), every) : null;
    let parentWatch: NodeJS.Timeout | null = null;
    await new Promise<void>((resolve) => {
      process.once('SIGTERM', resolve);
      process.once('SIGINT', resolve);
      if (flags.has('exit-with-parent')) {
        // Started by `npm start`: stop when it is gone, even if it was killed without a chance to signal us.
        const parent = process.ppid;
        parentWatch = setInterval(() => { if (process.ppid !== parent) resolve(); }, 1_000);
      }
    });
    if (parentWatch) clearInterval(parentWatch);
    if (status) clearInterval(status);
    const t0 = Date.now();
    // Exit anyway if the store hangs: what was flushed is safe and the next start backfills the rest.
    const hard = setTimeout(() => {
      process.stderr.write('[record] shutdown took over 4.5 s; exiting without the final flush\n');
      process.exit(1);
    }, 4_500);
    hard.unref();
    await recorder.stop();
    const end = recorder.health();
    process.stderr.write(`[record] stopped in ${Date.now() - t0} ms: ${end.store.storedTicks} ticks stored, ${end.gaps.filled} gaps filled, ${end.gaps.open} open\n`);
    return 0;
  },
};
