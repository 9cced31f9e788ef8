// Child process of the kernel memory benchmark: what a panel kernel holds with a day of one-second bars open.
// Writes a day of simulated trades for four symbols, opens as many pair views as a panel session keeps (four, each
// on 86,400 1 s bars), then refreshes every view once a second with new trades flushed in between, as a live panel
// does, and prints one JSON line of RSS per sample. Args: <dataDir> <minutes> <sampleSeconds>.
import { readFileSync } from 'node:fs';
import { answerPanelRequest, closePanelSession } from '../kernel-lib/src/panel/handler';
import { writeSimulatedHistory } from '../kernel-lib/src/session/simHistory';
import { type Tick, openStoreWriter } from '../src/store';

const SYMBOLS = ['BTCUSDT', 'ETHUSDT', 'SOLUSDT', 'BNBUSDT'];
const PAIRS = [['ETHUSDT', 'BTCUSDT'], ['SOLUSDT', 'BTCUSDT'], ['BNBUSDT', 'BTCUSDT'], ['SOLUSDT', 'ETHUSDT']] as const;
const mb = (n: number): number => Math.round((n / 1048576) * 10) / 10;

/** Highest RSS of this process so far (VmHWM), in MiB. */
function peakMb(): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
  return m ? Math.round(Number(m[1]) / 102.4) / 10 : NaN;
}

function sample(phase: string, extra: Record<string, number> = {}): void {
  const m = process.memoryUsage();
  process.stdout.write(`${JSON.stringify({ phase, rssMb: mb(m.rss), peakMb: peakMb(), heapMb: mb(m.heapUsed), externalMb: mb(m.external), ...extra })}\n`);
}

async function main(): Promise<void> {
  const [dir, minutesText, everyText] = process.argv.slice(2);
  const minutes = Number(minutesText ?? 5);
  const every = Number(everyText ?? 30) * 1000;
  const history = await writeSimulatedHistory(dir, { symbols: SYMBOLS, hours: 24, tradesPerSecond: 40, seed: 5 });
  sample('history written', { ticks: history.ticks });
  const writer = await openStoreWriter({ dir, flushIntervalMs: 0 });
  const marks = writer.highWaterMarks();
  let second = history.to;
  const ask = async (req: Record<string, unknown>): Promise<{ ok: boolean; seq?: number }> => {
    const reply = (await answerPanelRequest(JSON.stringify(req))) as { ok: boolean; seq?: number; error?: unknown };
    if (!reply.ok) throw new Error(`${String(req.kind)} failed: ${JSON.stringify(reply).slice(0, 300)}`);
    return reply;
  };
  await ask({ id: 'init', kind: 'init', dataDir: dir, universe: SYMBOLS });
  const seqs = new Map<string, number | undefined>();
  for (const [y, x] of PAIRS) {
    const r = await ask({ id: `open-${y}`, kind: 'snapshot', y, x, timeframe: '1s', window: 60 });
    seqs.set(`${y}/${x}`, r.seq);
  }
  sample('views open', { views: PAIRS.length });
  const t0 = Date.now();
  let next = every;
  let refreshes = 0;
  while (Date.now() - t0 < minutes * 60_000) {
    const ticks: Tick[] = [];
    for (const symbol of SYMBOLS) {
      const mark = marks.get(symbol) ?? { aggId: 0, tradeTime: 0 };
      for (let k = 0; k < 3; k++) {
        mark.aggId += 1;
        ticks.push({ symbol, aggId: mark.aggId, tradeTime: second + k * 300, price: 100 + Math.random(), qty: 0.1, isBuyerMaker: k === 1, recvTime: second });
      }
      marks.set(symbol, mark);
    }
    second += 1000;
    writer.append(ticks);
    await writer.flush();
    for (const [y, x] of PAIRS) {
      const key = `${y}/${x}`;
      const r = await ask({ id: `r${refreshes}`, kind: 'snapshot', y, x, timeframe: '1s', window: 60, sinceSeq: seqs.get(key) });
      seqs.set(key, r.seq);
    }
    refreshes++;
    if (Date.now() - t0 >= next) {
      sample('live', { wallS: Math.round((Date.now() - t0) / 1000), refreshes });
      next += every;
    }
    await new Promise((r) => setTimeout(r, 1000));
  }
  await closePanelSession();
  await writer.close();
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
