// Child process for the log test: appends `count` alerts (one call each) and gap events tagged with `tag`.
const { appendAlerts, appendGaps } = require('../../../dist/src/store');

const [dir, tag, count] = process.argv.slice(2);
(async () => {
  const base = Date.UTC(2026, 7, 1, 23, 59, 0);
  for (let i = 0; i < Number(count); i++) {
    // Times straddle midnight, so calls go to two daily files.
    await appendAlerts(dir, [{ time: base + i * 100, pair: `${tag}/X`, rule: 'zscore', value: i, threshold: 2, message: `${tag} alert ${i}, "quoted"` }]);
    if (i % 50 === 0) {
      await appendGaps(dir, [{ symbol: `${tag}USDT`, fromId: i, toId: i + 9, foundAt: base + i, filledAt: null, trades: 10, status: 'open' }]);
      await appendGaps(dir, [{ symbol: `${tag}USDT`, fromId: i, toId: i + 9, foundAt: base + i, filledAt: base + i + 5, trades: 10, status: 'filled' }]);
    }
  }
  process.stdout.write('done\n');
})().catch((err) => { process.stdout.write(`fatal ${err.message}\n`); process.exit(2); });
