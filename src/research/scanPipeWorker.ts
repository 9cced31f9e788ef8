#!/usr/bin/env node
// The worker Spark's executors pipe aligned pairs into (RDD.pipe): reads pair lines on stdin, writes one scan row per
// pair on stdout, computed by the analytics library (the same code as the local scan), or for a line with `search` the
// pair's grid search by the backtester (the same code as the local search). On bad input: an {"error"} line and exit 1.
import { createInterface } from 'node:readline';
import { checkUniverse, scanPairRows } from '../analytics';
import { type AlignedPairLine, type PairSearchLine, parsePairLine, rowLine, toLine } from './pairLines';
import { gridPair, searchPair } from './pairSearch';

function searchLine(pair: AlignedPairLine & Required<Pick<AlignedPairLine, 'search'>>): string {
  const { symbols, prices } = checkUniverse({ [pair.y]: pair.yClose, [pair.x]: pair.xClose });
  if (typeof pair.from !== 'number' || typeof pair.timeframeMs !== 'number' || typeof pair.i !== 'number') {
    throw new Error(`a search line needs i, from and timeframeMs: ${symbols.join('/')}`);
  }
  const result = searchPair(gridPair(prices[0], prices[1], pair.from, pair.timeframeMs), pair.search);
  const line: PairSearchLine = { i: pair.i, y: pair.y, x: pair.x, ...result };
  return toLine(line);
}

async function main(): Promise<void> {
  const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
  for await (const line of lines) {
    if (!line.trim()) continue;
    const pair = parsePairLine(line);
    if (pair.search) {
      process.stdout.write(`${searchLine({ ...pair, search: pair.search })}\n`);
      continue;
    }
    const { symbols, prices } = checkUniverse({ [pair.y]: pair.yClose, [pair.x]: pair.xClose });
    for (const row of scanPairRows(symbols, prices, [[0, 1]], { minCorrelation: pair.minCorrelation })) {
      process.stdout.write(`${rowLine(row)}\n`);
    }
  }
}

main().catch((err: unknown) => {
  const message = `pairs-lab scan worker: ${err instanceof Error ? err.message : String(err)}`;
  // RDD.pipe drops the process's stderr, so the reason also goes down stdout, where the job raises it
  process.stdout.write(`${JSON.stringify({ error: message })}\n`);
  process.stderr.write(`${message}\n`);
  process.exitCode = 1;
});
