// A lake made the way a desk makes one: cointegrated ticks of whole UTC days written to a store, compacted, and
// exported by the lake exporter (src/lake). The Spark scan tests read it.
import path from 'node:path';
import { exportToLake, type S3Options } from '../../src/lake';
import { openStoreWriter, type Tick } from '../../src/store';
import type { SearchSpec } from '../../src/research';
import { rng } from '../store/helpers';

const DAY_MS = 86_400_000;

export interface ExportedLakeOptions {
  symbols: readonly string[];
  /** First day, YYYY-MM-DD (UTC). */
  firstDay: string;
  days: number;
  /** Mean milliseconds between a symbol's trades. */
  meanStepMs?: number;
  seed?: number;
}

/**
 * Every symbol's price is a level plus its own loading on one common random walk plus noise (every third symbol
 * also on a walk of its own, so some pairs are not cointegrated); symbol k starts trading k minutes into the first day.
 */
export function cointegratedTicks(o: ExportedLakeOptions): Tick[] {
  const rand = rng(o.seed ?? 1);
  const start = Date.parse(`${o.firstDay}T00:00:00Z`);
  const end = start + o.days * DAY_MS;
  const step = o.meanStepMs ?? 3_000;
  const ticks: Tick[] = [];
  o.symbols.forEach((symbol, k) => {
    const own = rng((o.seed ?? 1) * 100 + k);
    let common = 0;
    let walk = 0;
    let id = 1_000_000 * (k + 1);
    for (let t = start + k * 60_000 + Math.floor(rand() * step); t < end; t += 1 + Math.floor(rand() * 2 * step)) {
      common += (own() - 0.5) * 0.05;
      walk += (own() - 0.5) * 0.05;
      const price = 100 + 10 * k + (1 + k / 10) * common + (k % 3 === 0 ? walk : 0) + (rand() - 0.5) * 0.2;
      ticks.push({ symbol, aggId: id++, tradeTime: t, price: Math.round(price * 100) / 100, qty: Math.round(rand() * 1000) / 100 + 0.01, isBuyerMaker: rand() < 0.5, recvTime: t + 3 });
    }
  });
  return ticks.sort((a, b) => a.tradeTime - b.tradeTime);
}

/** A time when every day of the lake is closed: five minutes after its last day ends. */
const closedAfter = (o: ExportedLakeOptions): number => Date.parse(`${o.firstDay}T00:00:00Z`) + o.days * DAY_MS + 300_000;

/** Writes the ticks to a store in `dir`/store, compacts the closed days, exports them to `dir`/lake; returns the lake. */
export async function writeExportedLake(dir: string, o: ExportedLakeOptions): Promise<string> {
  const data = path.join(dir, 'store');
  const lake = path.join(dir, 'lake');
  const after = closedAfter(o);
  const writer = await openStoreWriter({ dir: data, flushIntervalMs: 0, compactIntervalMs: 0 });
  try {
    const ticks = cointegratedTicks(o);
    for (let i = 0; i < ticks.length; i += 50_000) {
      writer.append(ticks.slice(i, i + 50_000));
      await writer.flush();
    }
    await writer.compact(after);
  } finally {
    await writer.close();
  }
  return exportStoreTo(dir, o, lake);
}

/** Exports every closed day of the store in `dir`/store (written by {@link writeExportedLake}) to `lake`. */
export async function exportStoreTo(dir: string, o: ExportedLakeOptions, lake: string, s3?: S3Options): Promise<string> {
  const result = await exportToLake({ data: path.join(dir, 'store'), lake, now: closedAfter(o), s3 });
  if (result.failed.length || result.exported.length !== o.symbols.length * o.days) {
    throw new Error(`the lake export took ${result.exported.length} of ${o.symbols.length * o.days} days: ${JSON.stringify(result.failed)}`);
  }
  return lake;
}

/** A small search grid: 2 entries × 2 exits × 2 stops on one z window and one hedge, trained on 70% of the bars. */
export const tinyGrid: SearchSpec = {
  grid: { entry: [1.5, 2], exit: [0, 0.5], window: [30], stop: [null, 3], hedge: [{ kind: 'rolling', estimator: 'ols', window: 60 }] },
  trainFraction: 0.7,
};
