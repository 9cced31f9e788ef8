// Child process for the lock takeover race: on `go <round> <startAtMs>` it waits for that instant and races for the
// writer lock of a store directory, reporting `won <round> <ok|not-mine>` (does the lock file name it?) or
// `lost <round> locked <pid>` / `lost <round> error <message>`. A winner holds the lock until `release <round>`, then
// reports `released <round> <ok|not-mine>` (does the lock file still name it?) and releases it.
const { readFileSync } = require('node:fs');
const path = require('node:path');
const readline = require('node:readline');
const { acquireWriterLock, WriterLockedError } = require('../../../dist/src/store/writer-lock');

const dir = process.argv[2];
const lockFile = path.join(dir, 'writer.lock');
const held = new Map();

function namesMe() {
  try {
    return JSON.parse(readFileSync(lockFile, 'utf8')).pid === process.pid ? 'ok' : 'not-mine';
  } catch {
    return 'not-mine';
  }
}

async function race(round, startAt) {
  await new Promise((r) => setTimeout(r, Math.max(0, startAt - Date.now() - 5)));
  while (Date.now() < startAt) { /* spin to the same millisecond as the other racers */ }
  try {
    held.set(round, await acquireWriterLock(dir));
    process.stdout.write(`won ${round} ${namesMe()}\n`);
  } catch (err) {
    process.stdout.write(err instanceof WriterLockedError ? `lost ${round} locked ${err.pid}\n` : `lost ${round} error ${err.message}\n`);
  }
}

readline.createInterface({ input: process.stdin }).on('line', (line) => {
  const [cmd, round, startAt] = line.split(' ');
  if (cmd === 'go') race(round, Number(startAt));
  if (cmd === 'release' && held.has(round)) {
    const release = held.get(round);
    held.delete(round);
    const still = namesMe();
    release();
    process.stdout.write(`released ${round} ${still}\n`);
  }
});
process.stdout.write(`ready ${process.pid}\n`);
