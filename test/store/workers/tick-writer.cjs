// Child process for the concurrency test: records synthetic live ticks (tradeTime = now, dense aggIds per
// symbol resumed from the store's high-water marks, as the recorder's backfill would) and flushes every
// flushMs. After each flush it prints {"durable": {symbol: highest aggId flushed}, "at": ms}.
// SIGTERM closes the writer cleanly.
const { openStoreWriter } = require('../../../dist/src/store');

const [dir, symbolList, ticksPerSymbolPer50ms, flushMs, compactMs, graceMs] = process.argv.slice(2);
const symbols = symbolList.split(',');
const perStep = Number(ticksPerSymbolPer50ms);

(async () => {
  const writer = await openStoreWriter({
    dir, flushIntervalMs: 0, compactIntervalMs: Number(compactMs), graceMs: Number(graceMs),
    onError: (err) => process.stdout.write(`${JSON.stringify({ error: err.message })}\n`),
  });
  const next = new Map(symbols.map((s) => [s, (writer.highWaterMarks().get(s)?.aggId ?? -1) + 1]));
  process.stdout.write(`${JSON.stringify({ started: process.pid, resumeAt: Object.fromEntries(next) })}\n`);
  let price = 100;
  const produce = setInterval(() => {
    const now = Date.now();
    const ticks = [];
    for (const symbol of symbols) {
      for (let i = 0; i < perStep; i++) {
        price *= 1 + (Math.random() - 0.5) * 1e-4;
        const aggId = next.get(symbol);
        next.set(symbol, aggId + 1);
        ticks.push({ symbol, aggId, tradeTime: now, price, qty: 0.001 + Math.random(), isBuyerMaker: Math.random() < 0.5, recvTime: now });
      }
    }
    writer.append(ticks);
  }, 50);
  let stopping = false;
  const flushLoop = async () => {
    while (!stopping) {
      const durable = Object.fromEntries([...writer.highWaterMarks()].map(([s, h]) => [s, h.aggId]));
      await writer.flush();
      process.stdout.write(`${JSON.stringify({ durable, at: Date.now() })}\n`);
      await new Promise((r) => setTimeout(r, Number(flushMs)));
    }
  };
  const loop = flushLoop();
  process.on('SIGTERM', async () => {
    stopping = true;
    clearInterval(produce);
    await loop;
    await writer.close();
    process.stdout.write(`${JSON.stringify({ closed: true })}\n`);
    process.exit(0);
  });
})().catch((err) => {
  process.stdout.write(`${JSON.stringify({ fatal: err.message })}\n`);
  process.exit(2);
});
