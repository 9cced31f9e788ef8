// The alert log and the gap log: append-only JSON-lines files that any process may append to at once.
// Each call is one O_APPEND write, so concurrent writers never interleave inside a line; a reader ignores a
// trailing line that is not yet complete. An append is on the disk when its promise resolves.
import { promises as fsp, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { AlertRecord, AlertsQuery, GapRecord, GapsQuery } from './types';
import { makeDirDurable } from './fs-atomic';
import { syncDir, syncFile } from './disk-sync';

const ALERTS_DIR = 'alerts';
const GAPS_FILE = path.join('gaps', 'gaps.jsonl');
const DAY_MS = 86_400_000;

function alertFileName(time: number): string {
  return `${new Date(time).toISOString().slice(0, 10)}.jsonl`;
}

function checkAlert(a: AlertRecord, i: number): void {
  const ok = Number.isFinite(a.time) && typeof a.pair === 'string' && a.pair.length > 0 && typeof a.rule === 'string' &&
    a.rule.length > 0 && typeof a.value === 'number' && typeof a.threshold === 'number' &&
    (a.message === undefined || typeof a.message === 'string');
  if (!ok) throw new Error(`appendAlerts: alert ${i} (${JSON.stringify(a)}) needs a finite time, non-empty pair and rule, numeric value and threshold; nothing was written`);
}

function checkGap(g: GapRecord, i: number): void {
  const ok = typeof g.symbol === 'string' && g.symbol.length > 0 && Number.isSafeInteger(g.fromId) && Number.isSafeInteger(g.toId) &&
    g.toId >= g.fromId && Number.isFinite(g.foundAt) && (g.filledAt === null || Number.isFinite(g.filledAt)) &&
    Number.isFinite(g.trades) && ['open', 'filled', 'abandoned'].includes(g.status);
  if (!ok) throw new Error(`appendGaps: gap ${i} (${JSON.stringify(g)}) needs a symbol, safe-integer fromId ≤ toId, finite foundAt, filledAt (number or null), trades and a status open|filled|abandoned; nothing was written`);
}

/** Opens `file` for appending; `created` when this call made it (its directory entry then needs syncing). */
async function openForAppend(file: string): Promise<{ handle: fsp.FileHandle; created: boolean }> {
  try {
    return { handle: await fsp.open(file, 'ax+'), created: true };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    return { handle: await fsp.open(file, 'a+'), created: false };
  }
}

/**
 * Appends whole lines, each call one write, and syncs the file before returning: calls are rare (alert rules fire and
 * gaps open a few times a minute at most), so an fsync each costs little next to losing the last alerts or gaps.
 */
export async function appendLines(file: string, lines: string[]): Promise<void> {
  await makeDirDurable(path.dirname(file));
  const { handle, created } = await openForAppend(file);
  try {
    // A power loss during an earlier append can leave its line cut short; start on a fresh line so that this one
    // stays whole (the cut line is skipped by readers). Racing appenders may add an empty line, which readers skip.
    const { size } = await handle.stat();
    const last = Buffer.alloc(1);
    const cut = size > 0 && (await handle.read(last, 0, 1, size - 1)).bytesRead === 1 && last[0] !== 0x0a;
    await handle.appendFile(`${cut ? '\n' : ''}${lines.join('')}`);
  } finally {
    await handle.close();
  }
  await syncFile(file);
  if (created) await syncDir(path.dirname(file));
}

export async function appendAlerts(dir: string, alerts: readonly AlertRecord[]): Promise<void> {
  alerts.forEach(checkAlert);
  const byFile = new Map<string, string[]>();
  for (const a of alerts) {
    const rec: AlertRecord = { time: a.time, pair: a.pair, rule: a.rule, value: a.value, threshold: a.threshold, ...(a.message !== undefined ? { message: a.message } : {}) };
    const name = alertFileName(a.time);
    const lines = byFile.get(name) ?? [];
    lines.push(`${JSON.stringify(rec)}\n`);
    byFile.set(name, lines);
  }
  for (const [name, lines] of byFile) await appendLines(path.join(dir, ALERTS_DIR, name), lines);
}

/** Appends gap events; the latest event per (symbol, fromId, toId) is the gap's state. */
export async function appendGaps(dir: string, gaps: readonly GapRecord[]): Promise<void> {
  gaps.forEach(checkGap);
  if (gaps.length === 0) return;
  const lines = gaps.map((g) => `${JSON.stringify({ symbol: g.symbol, fromId: g.fromId, toId: g.toId, foundAt: g.foundAt, filledAt: g.filledAt, trades: g.trades, status: g.status })}\n`);
  await appendLines(path.join(dir, GAPS_FILE), lines);
}

/** Complete lines of a JSON-lines file, parsed; a missing file is empty. */
export function readJsonLines<T>(file: string): T[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  const end = text.lastIndexOf('\n');
  if (end < 0) return [];
  const out: T[] = [];
  for (const line of text.slice(0, end).split('\n')) {
    if (!line) continue;
    try {
      out.push(JSON.parse(line) as T);
    } catch {
      // A line cut short by a power loss before its append returned (see appendLines): that append never happened.
    }
  }
  return out;
}

export function readAlerts(dir: string, q: AlertsQuery = {}): AlertRecord[] {
  let names: string[];
  try {
    names = readdirSync(path.join(dir, ALERTS_DIR)).filter((n) => /^\d{4}-\d{2}-\d{2}\.jsonl$/.test(n)).sort();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  const from = q.from ?? -Infinity;
  const to = q.to ?? Infinity;
  const out: AlertRecord[] = [];
  for (const name of names) {
    const dayStart = Date.parse(`${name.slice(0, 10)}T00:00:00Z`);
    if (dayStart + DAY_MS <= from || dayStart >= to) continue;
    for (const a of readJsonLines<AlertRecord>(path.join(dir, ALERTS_DIR, name))) {
      if (a.time < from || a.time >= to) continue;
      if (q.pair !== undefined && a.pair !== q.pair) continue;
      if (q.rule !== undefined && a.rule !== q.rule) continue;
      out.push(a);
    }
  }
  out.sort((a, b) => a.time - b.time);
  return q.limit !== undefined && out.length > q.limit ? out.slice(out.length - q.limit) : out;
}

export function readGaps(dir: string, q: GapsQuery = {}): GapRecord[] {
  const latest = new Map<string, GapRecord>();
  for (const g of readJsonLines<GapRecord>(path.join(dir, GAPS_FILE))) latest.set(`${g.symbol}\u0000${g.fromId}\u0000${g.toId}`, g);
  return [...latest.values()]
    .filter((g) => (q.symbol === undefined || g.symbol === q.symbol) && (q.status === undefined || g.status === q.status))
    .sort((a, b) => (a.symbol < b.symbol ? -1 : a.symbol > b.symbol ? 1 : a.fromId - b.fromId));
}
