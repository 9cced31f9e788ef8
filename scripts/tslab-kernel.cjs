#!/usr/bin/env node
// The `pairs-lab` kernel: tslab, with each ZeroMQ socket's sends made one after another.
//
// tslab 1.0.22 calls socket.send() without awaiting it. zeromq 6 allows one send in progress per socket
// and, to keep the event loop fair, defers every 513th send on a socket to the next turn of the loop; a
// send made while that one waits throws EBUSY and its message is lost. For a kernel that loses an
// execution's output and its `idle` status about every 170 executions, so the panel waited forever.
//
// Usage (kernel.json argv): node scripts/tslab-kernel.cjs --config-path {connection_file}
'use strict';
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const tslabMain = require.resolve('tslab/dist/main.js', { paths: [root] });
const zmq = require(require.resolve('zeromq', { paths: [path.dirname(tslabMain)] }));

const nativeSend = zmq.Socket.prototype.send;
/** The last send queued on each socket, while it has one in progress. */
const tails = new WeakMap();

function report(error) {
  console.error(`pairs-lab kernel: a message could not be sent (${error && error.message ? error.message : String(error)})`);
}

function serialSend(message) {
  const previous = tails.get(this);
  // Nothing in progress: send now, in this turn, so a send made right before close() still goes out.
  const sent = previous === undefined ? nativeSend.call(this, message) : previous.then(() => nativeSend.call(this, message));
  const tail = sent.then(() => undefined, report);
  tails.set(this, tail);
  tail.then(() => { if (tails.get(this) === tail) tails.delete(this); });
  return sent;
}
// The native method is configurable but not writable.
Object.defineProperty(zmq.Socket.prototype, 'send', { value: serialSend, configurable: true, writable: false, enumerable: false });

function configPath(argv) {
  const at = argv.indexOf('--config-path');
  if (at >= 0 && argv[at + 1]) return argv[at + 1];
  const inline = argv.find((a) => a.startsWith('--config-path='));
  if (inline) return inline.slice('--config-path='.length);
  console.error('pairs-lab kernel: missing --config-path <connection file> (Jupyter passes it from kernel.json)');
  process.exit(2);
}

const tslab = require(tslabMain);
// enableFindLocal false: a tslab installed beside a notebook would bring its own, unpatched zeromq.
tslab.startKernel({ configPath: configPath(process.argv.slice(2)), enableFindLocal: false, jsKernel: false, globalVersion: require(path.join(path.dirname(tslabMain), '..', 'package.json')).version });
