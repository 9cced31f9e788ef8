#!/usr/bin/env node
// `npm run test:ui`: runs the browser tests with a fresh work folder (server root, store, temp files) inside ui-tests/.work.
// Arguments are passed to `playwright test` (e.g. a file name or `--grep render`).
import { mkdirSync, rmSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const work = path.join(here, '.work');
rmSync(work, { recursive: true, force: true });
for (const dir of ['root', 'tmp', 'runtime', 'store', 'config', 'screenshots']) mkdirSync(path.join(work, dir), { recursive: true });
mkdirSync(path.join(here, 'screenshots'), { recursive: true });

const env = { ...process.env, TMPDIR: path.join(work, 'tmp'), CI: process.env.CI ?? '1', PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: '1' };
const r = spawnSync(process.execPath, [path.join(here, 'node_modules', '@playwright', 'test', 'cli.js'), 'test', ...process.argv.slice(2)], { cwd: here, env, stdio: 'inherit' });
process.exit(r.status ?? 1);
