// Child process for the concurrency test: polls a store for durationMs and checks every poll for duplicates,
// id gaps and counts that fall. Prints one {"poll": ...} line per poll and a {"summary": ...} line at the end.
const { openStoreReader } = require('../../../dist/src/store');

const [dir, durationMs, pollMs, barSymbol] = process.argv.slice(2);

(async () => {
  const reader = await openStoreReader({ dir });
  const end = Date.now() + Number(durationMs);
  const last = new Map();
  const summary = { polls: 0, errors: [], duplicates: 0, gaps: 0, countFell: 0, barMismatch: 0 };
  while (Date.now() < end) {
    const start = Date.now();
    try {
      const t = await reader.query(`SELECT symbol, count(*) AS n, count(DISTINCT aggId) AS d, min(aggId) AS lo, max(aggId) AS hi,
        max(tradeTime) AS newest FROM ticks GROUP BY symbol ORDER BY symbol`);
      const [sym, n, d, lo, hi, newest] = t.columns.map((c) => c.values);
      const seen = {};
      let newestAll = 0;
      for (let i = 0; i < t.rowCount; i++) {
        if (n[i] !== d[i]) summary.duplicates++;
        if (hi[i] - lo[i] + 1 !== n[i] || lo[i] !== 0) summary.gaps++;
        if (n[i] < (last.get(sym[i]) ?? 0)) summary.countFell++;
        last.set(sym[i], n[i]);
        seen[sym[i]] = hi[i];
        newestAll = Math.max(newestAll, newest[i]);
      }
      for (const s of last.keys()) if (!(s in seen)) summary.countFell++; // a symbol vanished

      // The live panel's path: the newest 30 one-second bars, which must count each visible tick once.
      const bars = await reader.latestBars({ symbol: barSymbol, timeframe: '1s', count: 30 });
      let trades = 0;
      for (const v of bars.trades) trades += v;
      if (bars.time.length) {
        const c = await reader.query('SELECT count(*) AS n, count(DISTINCT aggId) AS d FROM ticks WHERE symbol = $1 AND tradeTime >= $2 AND tradeTime < $3',
          [barSymbol, bars.time[0], bars.time[bars.time.length - 1] + 1000]);
        if (c.columns[0].values[0] !== c.columns[1].values[0] || trades > c.columns[0].values[0]) summary.barMismatch++;
      }
      summary.polls++;
      process.stdout.write(`${JSON.stringify({ poll: start, end: Date.now(), seen, staleness: t.rowCount ? start - newestAll : null })}\n`);
    } catch (err) {
      summary.errors.push(String(err && err.message));
    }
    const wait = Number(pollMs) - (Date.now() - start);
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  }
  await reader.close();
  process.stdout.write(`${JSON.stringify({ summary })}\n`);
})().catch((err) => {
  process.stdout.write(`${JSON.stringify({ fatal: err.message })}\n`);
  process.exit(2);
});
