#!/usr/bin/env node
// `npm start`: opens JupyterLab on notebooks/ with the Pairs Lab kernel and extension installed project-locally.
// Options: --port N (default 8888), --no-browser, --token T (default: Jupyter generates one), --sim (simulated exchange).
// It also runs the recorder (`pairs-lab record`) as a child process on $PAIRS_LAB_DATA, else data/ (data-sim/ with
// --sim), unless --no-recorder.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, openSync } from 'node:fs';
import path from 'node:path';
import { root, venvBin, notebooksDir, jupyterEnv } from './project.mjs';

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && i + 1 < args.length ? args[i + 1] : fallback;
};
const port = Number(option('port', '8888'));
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  process.stderr.write(`--port must be an integer 0-65535, got "${option('port', '')}"\n`);
  process.exit(2);
}
const token = option('token', undefined);
const env = jupyterEnv();
if (args.includes('--sim')) env.PAIRS_LAB_FEED = 'simulated';
mkdirSync(env.JUPYTER_RUNTIME_DIR, { recursive: true });

// The recorder: simulated data never shares a store with Binance data. A recorder that cannot reach Binance keeps
// retrying and says so in <data>/recorder-health.json; JupyterLab starts regardless.
const sim = args.includes('--sim');
const dataDir = path.resolve(process.env.PAIRS_LAB_DATA ?? path.join(root, sim ? 'data-sim' : 'data'));
env.PAIRS_LAB_DATA = dataDir;
let recorder;
let stopping = false;
const recorderCli = path.join(root, 'dist', 'src', 'cli', 'main.js');
// PAIRS_LAB_FEED set by the caller (e.g. the browser tests) means the kernel session records into the store itself.
const kernelRecords = process.env.PAIRS_LAB_FEED !== undefined;
if (kernelRecords) process.stderr.write('[start] PAIRS_LAB_FEED is set: the kernel session records; no recorder process started\n');
if (!args.includes('--no-recorder') && !kernelRecords && existsSync(recorderCli)) {
  mkdirSync(dataDir, { recursive: true });
  const log = openSync(path.join(dataDir, 'recorder.log'), 'a');
  // One glibc malloc arena: the recorder's few threads do not contend, and freed memory is not kept in per-thread
  // arenas (two-hour soaks: resident memory 10-15 MB lower). The caller's own MALLOC_ARENA_MAX wins.
  recorder = spawn(process.execPath, [recorderCli, 'record', '--data', dataDir, ...(sim ? ['--sim'] : []), '--status-every', '60', '--exit-with-parent'], {
    cwd: root, env: { MALLOC_ARENA_MAX: '1', ...process.env }, stdio: ['ignore', log, log],
  });
  recorder.on('error', (err) => process.stderr.write(`[start] recorder could not start: ${err.message}\n`));
  recorder.on('exit', (code, signal) => {
    if (!stopping) process.stderr.write(`[start] recorder exited (${signal ?? code}); see ${path.relative(root, dataDir)}/recorder.log\n`);
  });
  process.stderr.write(`[start] recorder pid ${recorder.pid}: ${sim ? 'SIMULATED exchange' : 'Binance USD-M'} → ${path.relative(root, dataDir)}/ (log ${path.relative(root, dataDir)}/recorder.log)\n`);
}
const stopRecorder = () => new Promise((resolve) => {
  if (!recorder || recorder.exitCode !== null || recorder.signalCode !== null) return resolve();
  const timer = setTimeout(() => { recorder.kill('SIGKILL'); resolve(); }, 6_000);
  recorder.once('exit', () => { clearTimeout(timer); resolve(); });
  recorder.kill('SIGTERM');
});

const lab = spawn(path.join(venvBin, 'jupyter'), [
  'lab',
  `--ServerApp.root_dir=${notebooksDir}`,
  '--ServerApp.ip=127.0.0.1',
  `--ServerApp.port=${port}`,
  '--ServerApp.allow_root=True',
  `--ServerApp.open_browser=${!args.includes('--no-browser') && Boolean(process.env.DISPLAY)}`,
  '--LabApp.extension_manager=readonly',
  ...(token !== undefined ? [`--IdentityProvider.token=${token}`] : []),
], { cwd: root, env, stdio: 'inherit' });

const stop = (signal) => { stopping = true; lab.kill(signal); };
process.on('SIGINT', () => stop('SIGINT'));
process.on('SIGTERM', () => stop('SIGTERM'));
lab.on('exit', async (code, signal) => {
  stopping = true;
  await stopRecorder();
  process.exit(code ?? (signal ? 1 : 0));
});
