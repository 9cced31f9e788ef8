#!/usr/bin/env node
// Writes sample-bars-1m.csv beside this file: one day of synthetic 1-minute OHLCV bars for three made-up
// symbols, so the pair-research notebook runs offline. ALPHAUSDT and BETAUSDT are cointegrated
// (ALPHA ≈ 2.5·BETA + 40 + an Ornstein-Uhlenbeck spread with a half-life of about 20 bars); GAMMAUSDT is an
// independent random walk. Deterministic (seeded), so re-running it reproduces the committed file exactly.
// Usage: node notebooks/data/generate-sample-bars.mjs
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const BARS = 1440;
const START = Date.UTC(2026, 0, 5, 0, 0, 0);
const MINUTE = 60_000;

// mulberry32: a small seeded PRNG; normals by Box-Muller.
let seed = 20260105;
function uniform() {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
function normal() {
  return Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform());
}

const theta = Math.LN2 / 20;
let beta = 60;
let gamma = 12;
let spread = 0;
const closes = { ALPHAUSDT: [], BETAUSDT: [], GAMMAUSDT: [] };
for (let i = 0; i < BARS; i++) {
  beta *= Math.exp(0.004 * normal());
  gamma *= Math.exp(0.004 * normal());
  spread += -theta * spread + 0.35 * normal();
  closes.ALPHAUSDT.push(2.5 * beta + 40 + spread);
  closes.BETAUSDT.push(beta);
  closes.GAMMAUSDT.push(gamma);
}

const decimals = { ALPHAUSDT: 3, BETAUSDT: 3, GAMMAUSDT: 4 };
const lines = ['timestamp,symbol,open,high,low,close,volume'];
for (const [symbol, series] of Object.entries(closes)) {
  const d = decimals[symbol];
  for (let i = 0; i < BARS; i++) {
    const close = series[i];
    const open = i === 0 ? close * (1 + 0.0005 * normal()) : series[i - 1];
    const wiggle = Math.abs(close - open) * 0.5 + close * 0.0004 * Math.abs(normal());
    const high = Math.max(open, close) + wiggle * uniform();
    const low = Math.min(open, close) - wiggle * uniform();
    const volume = 50 + 400 * uniform() * (1 + 0.5 * Math.sin((2 * Math.PI * i) / BARS));
    lines.push([new Date(START + i * MINUTE).toISOString(), symbol, open.toFixed(d), high.toFixed(d), low.toFixed(d), close.toFixed(d), volume.toFixed(2)].join(','));
  }
}
const out = path.join(path.dirname(fileURLToPath(import.meta.url)), 'sample-bars-1m.csv');
writeFileSync(out, `${lines.join('\n')}\n`);
console.log(`wrote ${lines.length - 1} bars to ${out}`);
