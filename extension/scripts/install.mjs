#!/usr/bin/env node
// Installs the Pairs Lab JupyterLab extension project-locally (called by scripts/setup.mjs; Node built-ins only):
// 1. `npm ci` in extension/ and ui-tests/ when node_modules is missing or the lockfile changed;
// 2. tsc + the federated bundle when a source changed;
// 3. the example notebooks (not those named _* or .*) copied into the bundle's static folder (the launcher's template cards read them there);
// 4. a symlink .jupyter/share/labextensions/<name> → extension/labextension, found through JUPYTER_PATH.
// Every step keeps a stamp (a hash of its inputs), so a second run only checks.
import { createHash } from 'node:crypto';
import {
  existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, readlinkSync, rmSync, statSync, symlinkSync, writeFileSync,
} from 'node:fs';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const extDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const root = path.dirname(extDir);
const uiTestsDir = path.join(root, 'ui-tests');
const notebooksDir = path.join(root, 'notebooks');
const jupyterPath = process.env.JUPYTER_PATH?.split(path.delimiter)[0] || path.join(root, '.jupyter', 'share');
const quiet = process.argv.includes('--quiet');
const log = (msg) => { if (!quiet) process.stderr.write(`[extension] ${msg}\n`); };

const pkg = JSON.parse(readFileSync(path.join(extDir, 'package.json'), 'utf8'));
const outputDir = path.join(extDir, pkg.jupyterlab.outputDir);

function run(cmd, args, cwd, env = process.env) {
  log(`$ (cd ${path.relative(root, cwd) || '.'} && ${cmd} ${args.join(' ')})`);
  const r = spawnSync(cmd, args, { cwd, env, stdio: ['ignore', quiet ? 'ignore' : 'inherit', 'inherit'] });
  if (r.status !== 0) {
    throw new Error(`extension install: "${cmd} ${args.join(' ')}" in ${cwd} failed (exit ${r.status ?? r.signal}). Fix the error above and run \`npm run setup\` again.`);
  }
}

/** Files under `dir` (recursively), sorted, skipping nothing but missing folders. */
function filesUnder(dir) {
  if (!existsSync(dir)) return [];
  const out = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...filesUnder(p));
    else out.push(p);
  }
  return out.sort();
}

function hashOf(files) {
  const h = createHash('sha256');
  for (const f of files) {
    h.update(path.relative(root, f));
    h.update(existsSync(f) ? readFileSync(f) : 'missing');
  }
  return h.digest('hex');
}

function step(name, stampFile, hash, action) {
  if (existsSync(stampFile) && readFileSync(stampFile, 'utf8') === hash) {
    log(`${name}: up to date`);
    return;
  }
  log(`${name}: running`);
  action();
  mkdirSync(path.dirname(stampFile), { recursive: true });
  writeFileSync(stampFile, hash);
}

function npmCi(dir, extraEnv = {}) {
  const lock = path.join(dir, 'package-lock.json');
  if (!existsSync(lock)) return;
  step(`npm ci (${path.basename(dir)})`, path.join(dir, 'node_modules', '.pairs-lab-stamp'), hashOf([path.join(dir, 'package.json'), lock]), () => {
    run('npm', ['ci', '--no-audit', '--no-fund'], dir, { ...process.env, ...extraEnv });
  });
}

function build() {
  const inputs = [
    path.join(extDir, 'package.json'),
    path.join(extDir, 'package-lock.json'),
    path.join(extDir, 'tsconfig.json'),
    path.join(root, 'kernel-lib', 'src', 'protocol.ts'),
    ...filesUnder(path.join(extDir, 'src')),
    ...filesUnder(path.join(extDir, 'style')),
    ...filesUnder(path.join(extDir, 'schema')),
  ];
  const stamp = path.join(extDir, 'labextension', '.pairs-lab-stamp');
  const built = existsSync(path.join(outputDir, 'package.json'));
  if (!built) rmSync(stamp, { force: true });
  step('build', stamp, hashOf(inputs), () => {
    run(process.execPath, [path.join(extDir, 'node_modules', 'typescript', 'bin', 'tsc'), '--sourceMap'], extDir);
    run(process.execPath, [
      path.join(extDir, 'node_modules', '@jupyter', 'builder', 'lib', 'build-labextension.js'),
      '--core-package-file', path.join(extDir, 'node_modules', '@jupyterlab', 'core-meta', 'core.package.json'),
      '.',
    ], extDir);
  });
}

/** Copies notebooks/*.ipynb into static/templates/ with an index the launcher cards read. Cheap, so always checked. */
function templates() {
  const dir = path.join(outputDir, 'static', 'templates');
  mkdirSync(dir, { recursive: true });
  const notebooks = existsSync(notebooksDir)
    ? readdirSync(notebooksDir).filter((f) => f.endsWith('.ipynb') && !/^[._]/.test(f) && statSync(path.join(notebooksDir, f)).isFile()).sort()
    : [];
  const index = [];
  for (const file of notebooks) {
    const text = readFileSync(path.join(notebooksDir, file), 'utf8');
    let title = file.replace(/\.ipynb$/, '').replace(/^\d+[-_ ]*/, '').replace(/[-_]+/g, ' ');
    let summary = '';
    try {
      const nb = JSON.parse(text);
      const firstMarkdown = nb.cells?.find((c) => c.cell_type === 'markdown');
      const source = Array.isArray(firstMarkdown?.source) ? firstMarkdown.source.join('') : (firstMarkdown?.source ?? '');
      const heading = source.match(/^#+\s+(.+)$/m);
      if (heading) title = heading[1].trim();
      summary = source.replace(/^#+.*$/gm, '').trim().split(/\n\s*\n/)[0]?.replace(/\s+/g, ' ').slice(0, 200) ?? '';
    } catch {
      log(`templates: ${file} is not valid JSON; skipped`);
      continue;
    }
    const target = path.join(dir, file);
    if (!existsSync(target) || readFileSync(target, 'utf8') !== text) writeFileSync(target, text);
    index.push({ file, title, summary });
  }
  for (const stale of readdirSync(dir)) {
    if (stale.endsWith('.ipynb') && !notebooks.includes(stale)) rmSync(path.join(dir, stale));
  }
  const indexText = `${JSON.stringify({ templates: index }, null, 2)}\n`;
  const indexFile = path.join(dir, 'index.json');
  if (!existsSync(indexFile) || readFileSync(indexFile, 'utf8') !== indexText) writeFileSync(indexFile, indexText);
  log(`templates: ${index.length} notebook(s)`);
}

function link() {
  const target = path.join(jupyterPath, 'labextensions', pkg.name);
  mkdirSync(path.dirname(target), { recursive: true });
  let current = null;
  try {
    current = lstatSync(target).isSymbolicLink() ? readlinkSync(target) : 'not a link';
  } catch {
    current = null;
  }
  if (current === outputDir) {
    log(`link: up to date (${path.relative(root, target)})`);
    return;
  }
  if (current !== null) rmSync(target, { recursive: true, force: true });
  symlinkSync(outputDir, target, 'dir');
  log(`link: ${path.relative(root, target)} → ${path.relative(root, outputDir)}`);
}

try {
  npmCi(extDir);
  npmCi(uiTestsDir, { PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: '1' });
  build();
  templates();
  link();
} catch (err) {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
}
