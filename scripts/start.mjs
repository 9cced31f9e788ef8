#!/usr/bin/env node
// `npm start`: opens JupyterLab on notebooks/ with the Pairs Lab kernel and extension installed project-locally.
// Options: --port N (default 8888), --no-browser, --token T (default: Jupyter generates one), --sim (simulated exchange).
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
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

const stop = (signal) => { lab.kill(signal); };
process.on('SIGINT', () => stop('SIGINT'));
process.on('SIGTERM', () => stop('SIGTERM'));
lab.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
