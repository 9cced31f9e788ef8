#!/usr/bin/env node
// `npm run test:ui`: runs the browser tests with a fresh work folder (server root, store, temp files) under
// ui-tests/.work/ and a free port, so runs side by side (several checkouts' `npm test` on one machine) never collide.
// Arguments are passed to `playwright test` (e.g. a file name or `--grep render`).
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.dirname(here);
const work = path.join(here, '.work', `run-${process.pid}`);

const chromium = process.env.PAIRS_LAB_CHROMIUM || '/usr/bin/chromium';
if (!existsSync(chromium)) {
  process.stderr.write(`The browser tests need Debian's chromium at ${chromium}: install it with \`apt-get install chromium\` (or set PAIRS_LAB_CHROMIUM).\n`);
  process.exit(1);
}

// The panel's kernel imports the compiled library (dist/): rebuild it when a source is newer.
const newest = (dir) => {
  let t = 0;
  for (const e of existsSync(dir) ? readdirSync(dir, { withFileTypes: true }) : []) {
    const p = path.join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
};
const built = path.join(root, 'dist', 'kernel-lib', 'src', 'index.js');
if (!existsSync(built) || statSync(built).mtimeMs < Math.max(newest(path.join(root, 'src')), newest(path.join(root, 'kernel-lib', 'src')))) {
  const b = spawnSync('npm', ['run', 'build', '--silent'], { cwd: root, stdio: 'inherit' });
  if (b.status !== 0) process.exit(b.status ?? 1);
}
const port = await new Promise((resolve, reject) => {
  const probe = createServer();
  probe.once('error', reject);
  probe.listen(0, '127.0.0.1', () => {
    const { port: free } = probe.address();
    probe.close(() => resolve(free));
  });
});
// Work folders of earlier runs that are over a day old go (a failed run's folder is kept for a look).
for (const old of existsSync(path.join(here, '.work')) ? readdirSync(path.join(here, '.work')) : []) {
  const dir = path.join(here, '.work', old);
  if (Date.now() - statSync(dir).mtimeMs > 86_400_000) rmSync(dir, { recursive: true, force: true });
}
rmSync(work, { recursive: true, force: true });
for (const dir of ['root', 'tmp', 'runtime', 'store', 'config']) mkdirSync(path.join(work, dir), { recursive: true });
mkdirSync(path.join(here, 'screenshots'), { recursive: true });

const env = {
  ...process.env,
  TMPDIR: path.join(work, 'tmp'),
  PAIRS_LAB_UI_WORK: work,
  PAIRS_LAB_UI_PORT: String(port),
  CI: process.env.CI ?? '1',
  PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: '1',
};
const r = spawnSync(process.execPath, [path.join(here, 'node_modules', '@playwright', 'test', 'cli.js'), 'test', ...process.argv.slice(2)], { cwd: here, env, stdio: 'inherit' });
if (r.status === 0) rmSync(work, { recursive: true, force: true });
process.exit(r.status ?? 1);
