#!/usr/bin/env node
// The scan worker Spark's executors pipe aligned pairs into (RDD.pipe): reads pair lines on stdin, writes one scan
// row per pair on stdout, computed by the analytics library (the same code as the local scan). On bad input: an
// {"error"} line and exit 1.
import { createInterface } from 'node:readline';
import { checkUniverse, scanPairRows } from '../analytics';
import { parsePairLine, rowLine } from './pairLines';

async function main(): Promise<void> {
  const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
  for await (const line of lines) {
    if (!line.trim()) continue;
    const pair = parsePairLine(line);
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
