// Child process for the lock test: opens the tick writer of a store and holds it until killed.
const { openStoreWriter } = require('../../../dist/src/store');

openStoreWriter({ dir: process.argv[2], flushIntervalMs: 0, compactIntervalMs: 0 }).then(
  () => { process.stdout.write(`ready ${process.pid}\n`); setInterval(() => {}, 1 << 30); },
  (err) => { process.stdout.write(`refused ${err.message}\n`); process.exit(3); },
);
