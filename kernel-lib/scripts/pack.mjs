#!/usr/bin/env node
// Packs the kernel library as a self-contained npm package (`pairs-lab-<version>.tgz`), so a notebook anywhere can
// `npm install` it. The workspace build (npm run build) compiles the library and the layers it uses into ../dist;
// this copies those JavaScript and declaration files into a staging folder with its own package.json and packs it.
// Usage: node kernel-lib/scripts/pack.mjs [destination folder]   (default: <project>/tmp)
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const kernelLib = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const root = path.dirname(kernelLib);
const dist = path.join(root, 'dist');
const destination = path.resolve(process.argv[2] ?? path.join(root, 'tmp'));
const staging = path.join(root, 'tmp', 'pairs-lab-package');

if (!existsSync(path.join(dist, 'kernel-lib', 'src', 'index.js'))) {
  console.error(`pack: ${dist} has no compiled kernel library; run "npm run build" first.`);
  process.exit(1);
}
const own = JSON.parse(readFileSync(path.join(kernelLib, 'package.json'), 'utf8'));
const workspace = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));

rmSync(staging, { recursive: true, force: true });
mkdirSync(staging, { recursive: true });
const keep = (src) => !src.endsWith('.map') && !/\.test\.(js|d\.ts)$/.test(src);
for (const part of ['kernel-lib', 'src']) cpSync(path.join(dist, part), path.join(staging, 'dist', part), { recursive: true, filter: keep });

// Runtime dependencies of the layers underneath; tslab is the kernel that loads the package, not a dependency.
const dependencies = Object.fromEntries(Object.entries(workspace.dependencies).filter(([name]) => name !== 'tslab'));
writeFileSync(path.join(staging, 'package.json'), `${JSON.stringify({
  name: own.name,
  version: own.version,
  description: own.description,
  license: own.license,
  main: 'dist/kernel-lib/src/index.js',
  types: 'dist/kernel-lib/src/index.d.ts',
  engines: workspace.engines,
  dependencies,
  peerDependencies: { tslab: workspace.dependencies.tslab },
  peerDependenciesMeta: { tslab: { optional: true } },
}, null, 2)}\n`);
writeFileSync(path.join(staging, 'README.md'), `# ${own.name}\n\n${own.description}.\n\nIn a tslab notebook: \`import * as pl from 'pairs-lab';\` — see the Pairs Lab README, section "Notebook API".\n`);

mkdirSync(destination, { recursive: true });
const out = execFileSync('npm', ['pack', '--silent', '--pack-destination', destination], { cwd: staging, encoding: 'utf8' }).trim().split('\n').pop();
console.log(path.join(destination, out));
