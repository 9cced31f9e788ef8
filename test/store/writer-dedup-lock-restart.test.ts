// The tick writer: dedup by (symbol, aggId) including gap fills below the high-water mark, one writer per
// directory (with the holder's pid in the error, stale locks taken over), and start-up cleanup.
import { copyFileSync, existsSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DuckDBInstance } from '@duckdb/node-api';
import { openStoreReader, openStoreWriter, WriterLockedError, type Tick } from '../../src/store';
import { readManifest } from '../../src/store/manifest';
import { syntheticTicks, tempStoreDir } from './helpers';
import { ensureCompiledStore, exited, startWorker, waitFor } from './compiled-store';

const START = Date.UTC(2026, 4, 1, 12, 0, 0);
const stores: ReturnType<typeof tempStoreDir>[] = [];
function newStore(): string {
  const s = tempStoreDir('writer');
  stores.push(s);
  return s.dir;
}

afterEach(() => { while (stores.length) stores.pop()!.remove(); });

async function storedIds(dir: string, symbol: string): Promise<number[]> {
  const r = await openStoreReader({ dir });
  try {
    const t = await r.query('SELECT aggId FROM ticks WHERE symbol = $1 ORDER BY aggId', [symbol]);
    return t.columns[0].values as number[];
  } finally {
    await r.close();
  }
}

const range = (a: number, b: number) => Array.from({ length: b - a + 1 }, (_, i) => a + i);

describe('dedup by (symbol, aggId)', () => {
  it('refuses repeats within a batch, across batches, and after a restart; accepts a gap fill below the high-water mark', async () => {
    const dir = newStore();
    const ticks = syntheticTicks('DUPUSDT', { start: START, count: 300, seed: 5 });
    const other = syntheticTicks('OTHUSDT', { start: START, count: 50, seed: 6 }); // same ids, other symbol: not duplicates
    let w = await openStoreWriter({ dir, flushIntervalMs: 0, compactIntervalMs: 0 });
    expect(w.append([...ticks.slice(0, 100), ticks[5], ticks[50], ...other])).toEqual({ accepted: 150, duplicates: 2 });
    expect(w.append(ticks.slice(90, 110))).toEqual({ accepted: 10, duplicates: 10 }); // buffered ids count too
    await w.flush();
    expect(w.append(ticks.slice(200, 300))).toEqual({ accepted: 100, duplicates: 0 }); // a jump: 110..199 missing
    await w.close();

    w = await openStoreWriter({ dir, flushIntervalMs: 0, compactIntervalMs: 0 });
    expect(w.highWaterMarks().get('DUPUSDT')).toEqual({ aggId: 299, tradeTime: ticks[299].tradeTime });
    expect(w.append(ticks.slice(0, 110))).toEqual({ accepted: 0, duplicates: 110 });
    expect(w.append(ticks.slice(250, 300))).toEqual({ accepted: 0, duplicates: 50 });
    // The recorder backfills the gap after newer ids are stored: those older ids must be accepted once.
    expect(w.append(ticks.slice(110, 200))).toEqual({ accepted: 90, duplicates: 0 });
    expect(w.append(ticks.slice(150, 160))).toEqual({ accepted: 0, duplicates: 10 });
    await w.close();

    expect(await storedIds(dir, 'DUPUSDT')).toEqual(range(0, 299));
    expect(await storedIds(dir, 'OTHUSDT')).toEqual(range(0, 49));
    const r = await openStoreReader({ dir });
    expect(await r.highWaterMarks()).toEqual(new Map([
      ['DUPUSDT', { aggId: 299, tradeTime: ticks[299].tradeTime }], ['OTHUSDT', { aggId: 49, tradeTime: other[49].tradeTime }],
    ]));
    await r.close();
    expect(readManifest(dir).coverage).toEqual({ DUPUSDT: [[0, 299]], OTHUSDT: [[0, 49]] });
  });

  it('rejects a malformed tick with a message naming it, buffering nothing from that call', async () => {
    const dir = newStore();
    const w = await openStoreWriter({ dir, flushIntervalMs: 0, compactIntervalMs: 0 });
    const good = syntheticTicks('OKUSDT', { start: START, count: 3, seed: 1 });
    const bad: Tick = { ...good[2], aggId: 2.5 };
    expect(() => w.append([good[0], good[1], bad])).toThrow(/tick 2 .* aggId that is not a non-negative safe integer/);
    expect(() => w.append([{ ...good[0], symbol: 'btc/usdt' }])).toThrow(/symbol/);
    expect(w.append(good)).toEqual({ accepted: 3, duplicates: 0 });
    await w.close();
  });
});

describe('one writer per store directory', () => {
  beforeAll(() => ensureCompiledStore());

  it('refuses a second writer in the same process, naming this pid', async () => {
    const dir = newStore();
    const w = await openStoreWriter({ dir, flushIntervalMs: 0, compactIntervalMs: 0 });
    await expect(openStoreWriter({ dir })).rejects.toThrow(new RegExp(`process ${process.pid} holds .*writer\\.lock`));
    await w.close();
    await (await openStoreWriter({ dir, flushIntervalMs: 0, compactIntervalMs: 0 })).close();
  });

  it('refuses while another process holds the store, and takes the lock over once that process was killed', async () => {
    const dir = newStore();
    let ready: string | undefined;
    const child = startWorker('hold-writer.cjs', [dir], (line) => { ready = line; });
    await waitFor('the child writer', 60_000, () => ready); // a cold node + DuckDB start on a loaded 2-core machine
    expect(ready).toBe(`ready ${child.pid}`);
    const err = await openStoreWriter({ dir }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WriterLockedError);
    expect((err as WriterLockedError).pid).toBe(child.pid);
    expect((err as Error).message).toContain(`process ${child.pid}`);
    child.kill('SIGKILL');
    await exited(child);
    const w = await openStoreWriter({ dir, flushIntervalMs: 0, compactIntervalMs: 0 });
    await w.close();
  }, 90_000);
});

describe('start-up cleanup', () => {
  it('deletes temp and unpublished files, keeps tombstoned files until their grace ends (also across restarts)', async () => {
    const dir = newStore();
    const ticks = syntheticTicks('CLNUSDT', { start: START, count: 2000, seed: 9 });
    let w = await openStoreWriter({ dir, flushIntervalMs: 0, compactIntervalMs: 0, graceMs: 60_000 });
    for (let i = 0; i < ticks.length; i += 400) { w.append(ticks.slice(i, i + 400)); await w.flush(); }
    await w.compact(START + 10 * 3_600_000);
    await w.close();
    const m = readManifest(dir);
    expect(m.files.map((f) => f.level)).toEqual([1]);
    expect(m.tombstones.length).toBe(5);

    // What a writer killed mid-flush leaves: a temp file, and a renamed file that never reached the manifest.
    const l0 = path.join(dir, 'ticks', 'L0');
    copyFileSync(path.join(dir, m.files[0].path), path.join(l0, 'L0-000999999.parquet'));
    writeFileSync(path.join(l0, 'L0-000999998.parquet.1234-abcd.tmp'), '');
    writeFileSync(path.join(dir, 'manifest.json.1234-abcd.tmp'), '{');

    w = await openStoreWriter({ dir, flushIntervalMs: 0, compactIntervalMs: 0, graceMs: 60_000 });
    await w.close();
    expect(readdirSync(l0).sort()).toEqual(m.tombstones.map((t) => path.basename(t.path)).sort());
    expect(existsSync(path.join(dir, 'manifest.json.1234-abcd.tmp'))).toBe(false);
    expect(await storedIds(dir, 'CLNUSDT')).toEqual(range(0, 1999));

    w = await openStoreWriter({ dir, flushIntervalMs: 0, compactIntervalMs: 0, graceMs: 0 });
    await w.close();
    expect(readdirSync(l0)).toEqual([]);
    expect(readManifest(dir).tombstones).toEqual([]);
    expect(await storedIds(dir, 'CLNUSDT')).toEqual(range(0, 1999));
  });
});

describe('grace period', () => {
  it('keeps files a reader listed before a compaction readable until the grace ends, then deletes them', async () => {
    const dir = newStore();
    const ticks = syntheticTicks('GRCUSDT', { start: START, count: 3000, seed: 12 });
    const w = await openStoreWriter({ dir, flushIntervalMs: 0, compactIntervalMs: 0, graceMs: 1500 });
    for (let i = 0; i < ticks.length; i += 1000) { w.append(ticks.slice(i, i + 1000)); await w.flush(); }
    const listedBefore = readManifest(dir).files.map((f) => path.join(dir, f.path));
    expect(listedBefore).toHaveLength(3);

    const db = await DuckDBInstance.create(':memory:');
    const conn = await db.connect();
    const countListed = async () => {
      const r = await conn.runAndReadAll(`SELECT count(*)::INTEGER FROM read_parquet([${listedBefore.map((p) => `'${p}'`).join(', ')}])`);
      return r.getRows()[0][0];
    };
    try {
      const compacted = await w.compact(START + 3 * 3_600_000);
      expect(compacted).toMatchObject({ inputFiles: 3, deletedFiles: 0 });
      expect(readManifest(dir).files.map((f) => f.path)).not.toContain(path.relative(dir, listedBefore[0]));
      expect(await countListed()).toBe(3000); // the reader's old list still works
      expect((await w.compact(START + 3 * 3_600_000)).deletedFiles).toBe(0); // not yet
      await new Promise((r) => setTimeout(r, 1600));
      expect((await w.compact(START + 3 * 3_600_000)).deletedFiles).toBe(3);
      expect(listedBefore.some((p) => existsSync(p))).toBe(false);
      await expect(countListed()).rejects.toThrow(/No files found|Cannot open file|No such file/);
    } finally {
      conn.closeSync();
      db.closeSync();
      await w.close();
    }
    expect(await storedIds(dir, 'GRCUSDT')).toEqual(range(0, 2999));
  });
});
