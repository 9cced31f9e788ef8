// CSV import of OHLC bars: every row is validated before anything is written, then all rows become one upload
// file published by a single rename, so a file with one bad row adds nothing.
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import type { CsvIssue, ImportResult } from './types';
import { parseTimeframe } from './timeframe';
import { barsDigest, listUploads, seriesOf, writeUpload, type UploadedBar } from './uploads';
import { sqlPathList } from './fs-atomic';

export class CsvImportError extends Error {
  constructor(readonly issues: CsvIssue[]) {
    const shown = issues.slice(0, 20).map((i) => `  line ${i.line}, column ${i.column}: ${i.reason}`);
    const more = issues.length > 20 ? [`  ... and ${issues.length - 20} more`] : [];
    super(`CSV import rejected, nothing was imported:\n${[...shown, ...more].join('\n')}`);
    this.name = 'CsvImportError';
  }
}

const REQUIRED = ['timestamp', 'symbol', 'open', 'high', 'low', 'close', 'volume'] as const;
const OPTIONAL = ['trades', 'vwap', 'timeframe'] as const;
const SYMBOL_PATTERN = /^[A-Z0-9][A-Z0-9_-]{0,39}$/;
const ISO_PATTERN = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?))?(Z|[+-]\d{2}:?\d{2})?$/i;
const MAX_ISSUES = 200;

/** Splits one CSV line; double-quoted fields may contain commas and doubled quotes. Undefined if a quote is unbalanced. */
function splitLine(line: string): string[] | undefined {
  const out: string[] = [];
  let i = 0;
  for (;;) {
    if (line[i] === '"') {
      let v = '';
      i++;
      for (;;) {
        const q = line.indexOf('"', i);
        if (q < 0) return undefined;
        v += line.slice(i, q);
        if (line[q + 1] === '"') { v += '"'; i = q + 2; continue; }
        i = q + 1;
        break;
      }
      out.push(v);
      if (i < line.length && line[i] !== ',') return undefined;
    } else {
      const c = line.indexOf(',', i);
      out.push((c < 0 ? line.slice(i) : line.slice(i, c)).trim());
      i = c < 0 ? line.length : c;
    }
    if (i >= line.length) return out;
    i++; // the comma
  }
}

/** ISO-8601 (UTC unless an offset is given) or epoch seconds / milliseconds (values below 1e11 are seconds). */
export function parseTimestamp(text: string): number | undefined {
  const t = text.trim();
  if (/^\d+(\.\d+)?$/.test(t)) {
    const n = Number(t);
    if (n < 1e11) return Math.round(n * 1000);
    return Number.isInteger(n) ? n : undefined;
  }
  const m = ISO_PATTERN.exec(t);
  if (!m) return undefined;
  const zone = m[3] ? (m[3].toUpperCase() === 'Z' ? 'Z' : `${m[3].slice(0, 3)}:${m[3].slice(-2)}`) : 'Z';
  const ms = Date.parse(`${m[1]}T${m[2] ?? '00:00'}${zone}`);
  return Number.isFinite(ms) ? ms : undefined;
}

function parseNumber(text: string): number | undefined {
  const t = text.trim();
  if (t === '' || !/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(t)) return undefined;
  return Number(t);
}

interface ParsedRows {
  bars: UploadedBar[];
  /** Line of each bar, for errors found later. */
  lines: number[];
}

function parseRows(csv: string, defaultTf: number | undefined, issues: CsvIssue[]): ParsedRows {
  const add = (line: number, column: string, reason: string) => { if (issues.length < MAX_ISSUES) issues.push({ line, column, reason }); };
  const rawLines = csv.replace(/^\uFEFF/, '').split(/\r?\n/);
  const header = splitLine(rawLines[0] ?? '')?.map((h) => h.trim().toLowerCase()) ?? [];
  const col = new Map(header.map((h, i) => [h, i]));
  for (const name of REQUIRED) if (!col.has(name)) add(1, name, `missing column "${name}"; the header must name ${REQUIRED.join(',')}`);
  if (defaultTf === undefined && !col.has('timeframe')) add(1, 'timeframe', 'no timeframe: pass one (e.g. --timeframe 1m) or add a "timeframe" column');
  const out: ParsedRows = { bars: [], lines: [] };
  if (issues.length) return out;
  const seen = new Map<string, number>();
  for (let li = 1; li < rawLines.length; li++) {
    const lineNo = li + 1;
    if (rawLines[li].trim() === '') continue;
    const fields = splitLine(rawLines[li]);
    if (!fields) { add(lineNo, '-', 'unbalanced double quote'); continue; }
    if (fields.length !== header.length) { add(lineNo, '-', `expected ${header.length} fields like the header, found ${fields.length}`); continue; }
    const get = (name: string) => fields[col.get(name) as number];
    let ok = true;
    const num = (name: (typeof REQUIRED)[number] | 'trades' | 'vwap', optional = false): number => {
      if (!col.has(name) || (optional && get(name).trim() === '')) return NaN;
      const v = parseNumber(get(name));
      if (v === undefined || !Number.isFinite(v)) { add(lineNo, name, `"${get(name)}" is not a number`); ok = false; return NaN; }
      return v;
    };
    let tf = defaultTf;
    if (col.has('timeframe') && get('timeframe').trim() !== '') {
      try { tf = parseTimeframe(get('timeframe')); } catch (err) { add(lineNo, 'timeframe', (err as Error).message); ok = false; }
      if (ok && defaultTf !== undefined && tf !== defaultTf) { add(lineNo, 'timeframe', `"${get('timeframe')}" differs from the timeframe given for the import`); ok = false; }
    } else if (tf === undefined) { add(lineNo, 'timeframe', 'empty, and no timeframe was given for the import'); ok = false; }
    const time = parseTimestamp(get('timestamp'));
    if (time === undefined) { add(lineNo, 'timestamp', `"${get('timestamp')}" is not an ISO-8601 time or epoch seconds/milliseconds`); ok = false; }
    const symbol = get('symbol').trim();
    if (!SYMBOL_PATTERN.test(symbol)) { add(lineNo, 'symbol', `"${symbol}" is not a symbol (upper-case letters, digits, "_" or "-")`); ok = false; }
    const [open, high, low, close, volume] = (['open', 'high', 'low', 'close', 'volume'] as const).map((n) => num(n));
    const trades = num('trades', true);
    const vwap = num('vwap', true);
    if (!ok || tf === undefined || time === undefined) continue;
    if (time % tf !== 0) { add(lineNo, 'timestamp', `${new Date(time).toISOString()} is not the start of a ${get('timeframe') || 'bucket'} of ${tf / 1000} s`); continue; }
    if (high < low) { add(lineNo, 'high', `high ${high} is below low ${low}`); continue; }
    if (open < low || open > high) { add(lineNo, 'open', `open ${open} is outside [low ${low}, high ${high}]`); continue; }
    if (close < low || close > high) { add(lineNo, 'close', `close ${close} is outside [low ${low}, high ${high}]`); continue; }
    if (low <= 0) { add(lineNo, 'low', `low ${low} is not a positive price`); continue; }
    if (volume < 0) { add(lineNo, 'volume', `volume ${volume} is negative`); continue; }
    if (trades < 0) { add(lineNo, 'trades', `trades ${trades} is negative`); continue; }
    const key = `${symbol}\u0000${tf}\u0000${time}`;
    const first = seen.get(key);
    if (first !== undefined) { add(lineNo, 'timestamp', `duplicate timestamp ${new Date(time).toISOString()} for ${symbol} (also on line ${first})`); continue; }
    seen.set(key, lineNo);
    out.bars.push({ symbol, timeframeMs: tf, time, open, high, low, close, volume, trades, vwap });
    out.lines.push(lineNo);
  }
  if (out.bars.length === 0 && issues.length === 0) add(2, '-', 'the file has a header but no data rows');
  return out;
}

/** Bars that are already stored as uploads (same symbol, timeframe and time). */
async function findAlreadyStored(dir: string, parsed: ParsedRows, issues: CsvIssue[]): Promise<void> {
  const uploads = listUploads(dir);
  const symbols = new Set(parsed.bars.map((b) => b.symbol));
  const files = new Set<string>();
  for (const s of symbols) for (const { upload } of seriesOf(uploads, s)) files.add(path.join(dir, upload.file));
  if (files.size === 0) return;
  const instance = await DuckDBInstance.create(':memory:');
  const conn = await instance.connect();
  try {
    const result = await conn.runAndReadAll(`SELECT symbol, CAST(timeframeMs AS DOUBLE), CAST(time AS DOUBLE) FROM read_parquet(${sqlPathList([...files])})`);
    const stored = new Set(result.getRows().map((r) => `${String(r[0])}\u0000${Number(r[1])}\u0000${Number(r[2])}`));
    parsed.bars.forEach((b, i) => {
      if (issues.length < MAX_ISSUES && stored.has(`${b.symbol}\u0000${b.timeframeMs}\u0000${b.time}`)) {
        issues.push({ line: parsed.lines[i], column: 'timestamp', reason: `duplicate timestamp: ${b.symbol} ${new Date(b.time).toISOString()} is already in the store from an earlier import` });
      }
    });
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}

/**
 * Imports OHLC bars (`timestamp,symbol,open,high,low,close,volume`, optional `trades`, `vwap`, `timeframe`).
 * Throws CsvImportError listing line, column and reason of every problem; then nothing was written. Importing
 * exactly the bars of an earlier upload again writes nothing and answers `alreadyImported`, so a retried request
 * is safe; bars that only partly overlap stored ones are refused.
 */
export async function importBarsCsv(dir: string, csv: string, opts: { timeframe?: string }): Promise<ImportResult> {
  const issues: CsvIssue[] = [];
  let tf: number | undefined;
  if (opts.timeframe !== undefined) {
    try { tf = parseTimeframe(opts.timeframe); } catch (err) { issues.push({ line: 0, column: 'timeframe', reason: (err as Error).message }); }
  }
  const parsed = issues.length ? { bars: [], lines: [] } : parseRows(csv, tf, issues);
  if (issues.length) throw new CsvImportError(issues);
  const digest = barsDigest(parsed.bars);
  const earlier = listUploads(path.resolve(dir)).find((u) => u.digest === digest);
  if (!earlier) await findAlreadyStored(path.resolve(dir), parsed, issues);
  if (issues.length) throw new CsvImportError(issues);
  const info = earlier ?? await writeUpload(path.resolve(dir), parsed.bars, digest);
  let from = Infinity;
  let to = -Infinity;
  for (const b of parsed.bars) { from = Math.min(from, b.time); to = Math.max(to, b.time); }
  return {
    rows: parsed.bars.length,
    symbols: [...new Set(parsed.bars.map((b) => b.symbol))].sort(),
    timeframeMs: tf ?? parsed.bars[0].timeframeMs,
    from,
    to,
    file: info.file,
    alreadyImported: earlier !== undefined,
  };
}
