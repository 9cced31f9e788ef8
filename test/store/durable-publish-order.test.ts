// What survives a power loss depends on the order of fsyncs and renames, which no test can observe by pulling the
// plug: these tests record every call through disk-sync.ts (the store's only fsync and rename) and pin the order per
// publication: a file's contents before its name, its directory before the manifest that lists it, the manifest's
// contents before its name, and its directory before the call resolves (and before compacted files are deleted).
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { appendAlerts, appendGaps, importBarsCsv, openStoreWriter } from '../../src/store';
import { syntheticTicks, tempStoreDir } from './helpers';

const journal = vi.hoisted(() => ({ dir: '', entries: [] as string[] }));

vi.mock('../../src/store/disk-sync', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../src/store/disk-sync')>();
  // Store-relative names; temp names lose their random part so that the journal can be compared whole.
  const name = (p: string) => (path.relative(journal.dir, p) || '.').replace(/\.\d+-[0-9a-f]{8}\.tmp$/, '.tmp');
  const l0Files = () => {
    try {
      return readdirSync(path.join(journal.dir, 'ticks', 'L0')).filter((f) => f.endsWith('.parquet')).length;
    } catch {
      return 0; // a store without ticks
    }
  };
  return {
    ...real,
    // Each call is recorded once it has completed.
    syncFile: async (f: string) => { await real.syncFile(f); journal.entries.push(`syncFile ${name(f)}`); },
    syncFileSync: (f: string) => { real.syncFileSync(f); journal.entries.push(`syncFile ${name(f)}`); },
    syncDir: async (d: string) => {
      await real.syncDir(d);
      journal.entries.push(name(d) === '.' ? `syncDir . (${l0Files()} L0 files)` : `syncDir ${name(d)}`);
    },
    rename: (from: string, to: string) => { real.rename(from, to); journal.entries.push(`rename ${name(from)} -> ${name(to)}`); },
  };
});

const START = Date.UTC(2026, 4, 1, 12, 0, 0);
const HOUR = 3_600_000;
const stores: ReturnType<typeof tempStoreDir>[] = [];

function newStore(): string {
  const s = tempStoreDir('durable');
  stores.push(s);
  journal.dir = s.dir;
  journal.entries = [];
  return s.dir;
}

afterEach(() => { while (stores.length) stores.pop()!.remove(); });

function at(entry: string): number {
  const i = journal.entries.indexOf(entry);
  if (i < 0) throw new Error(`"${entry}" is not in the journal:\n${journal.entries.join('\n')}`);
  return i;
}

const noL0Count = (e: string) => e.replace(/ \(\d+ L0 files\)$/, '');

describe('durable publication order', () => {
  it('flush: the file\'s contents, its name, its directory, then the manifest\'s contents, name and directory; then it resolves', async () => {
    const dir = newStore();
    const w = await openStoreWriter({ dir, flushIntervalMs: 0, compactIntervalMs: 0 });
    expect(journal.entries.map(noL0Count), 'a new store\'s directories are synced into their parents').toEqual([
      'syncDir .', 'syncDir ticks', 'syncDir .', 'syncDir quotes', 'syncDir .', 'syncDir mark', 'syncDir .', 'syncDir funding',
    ]);
    journal.entries = [];
    w.append(syntheticTicks('ORDUSDT', { start: START, count: 500, seed: 1 }));
    await w.flush();
    journal.entries.push('flush resolved');
    expect(journal.entries.map(noL0Count)).toEqual([
      'syncFile ticks/L0/L0-000000001.parquet.tmp',
      'rename ticks/L0/L0-000000001.parquet.tmp -> ticks/L0/L0-000000001.parquet',
      'syncDir ticks/L0',
      'syncFile manifest.json.tmp',
      'rename manifest.json.tmp -> manifest.json',
      'syncDir .',
      'flush resolved',
    ]);
    await w.close();
  });

  it('compaction: every output is synced before its rename, its directories before the manifest; compacted files are deleted only after the unlisting manifest is on disk', async () => {
    const dir = newStore();
    const w = await openStoreWriter({ dir, flushIntervalMs: 0, compactIntervalMs: 0, graceMs: 0 });
    for (const [i, symbol] of ['AAAUSDT', 'BBBUSDT', 'AAAUSDT'].entries()) {
      w.append(syntheticTicks(symbol, { start: START + i * HOUR, count: 300, seed: i, firstId: i * 1000 }));
      await w.flush();
    }
    journal.entries = [];
    const stats = await w.compact(START + 6 * HOUR);
    journal.entries.push('compact resolved');
    expect(stats).toMatchObject({ inputFiles: 3, deletedFiles: 3 });

    const renames = journal.entries.filter((e) => e.startsWith('rename ticks/'));
    expect(renames.length).toBeGreaterThanOrEqual(6); // at least one tick file and its rollup per symbol
    const manifestRename = at('rename manifest.json.tmp -> manifest.json');
    const outputDirs = new Set<string>();
    for (const r of renames) {
      const [from, to] = r.slice('rename '.length).split(' -> ');
      expect(at(`syncFile ${from}`), `${to}: contents before name`).toBeLessThan(at(r));
      expect(at(r)).toBeLessThan(manifestRename);
      outputDirs.add(path.posix.dirname(to));
    }
    for (const d of outputDirs) {
      const synced = at(`syncDir ${d}`);
      expect(synced, `${d}: after the last rename into it`).toBeGreaterThan(Math.max(...renames.filter((r) => r.includes(` -> ${d}/`)).map(at)));
      expect(synced, `${d}: before the manifest`).toBeLessThan(manifestRename);
      // New directories: their entries in ticks/ and ticks/<SYMBOL>/ are synced before the manifest too.
      expect(at(`syncDir ${path.posix.dirname(d)}`)).toBeLessThan(manifestRename);
    }
    expect(at(`syncDir ticks`)).toBeLessThan(manifestRename);
    expect(at('syncFile manifest.json.tmp')).toBeLessThan(manifestRename);

    // Two publications: outputs in and inputs tombstoned, then (grace 0) the tombstones unlisted; the inputs were
    // still on disk when the second became durable, and are gone when compact resolves.
    const storeSyncs = journal.entries.filter((e) => e.startsWith('syncDir . '));
    expect(storeSyncs).toEqual(['syncDir . (3 L0 files)', 'syncDir . (3 L0 files)']);
    expect(journal.entries.at(-2)).toBe(storeSyncs[1]);
    expect(readdirSync(path.join(dir, 'ticks', 'L0'))).toEqual([]);
    await w.close();
  });

  it('CSV import: the Parquet file and its sidecar are on disk before their names, both names before the import resolves', async () => {
    const dir = newStore();
    const csv = 'timestamp,symbol,open,high,low,close,volume\n2026-03-01T00:00:00Z,UPUSDT,1,2,0.5,1.5,10\n2026-03-01T00:01:00Z,UPUSDT,1.5,2,1,1.2,7\n';
    await importBarsCsv(dir, csv, { timeframe: '1m' });
    journal.entries.push('import resolved');
    expect(journal.entries.map((e) => noL0Count(e).replace(/bars-[^/ ]+?\.parquet/g, 'bars-<id>.parquet'))).toEqual([
      'syncDir .',
      'syncFile uploads/bars-<id>.parquet.tmp',
      'syncFile uploads/bars-<id>.parquet.json.tmp',
      'rename uploads/bars-<id>.parquet.json.tmp -> uploads/bars-<id>.parquet.json',
      'rename uploads/bars-<id>.parquet.tmp -> uploads/bars-<id>.parquet',
      'syncDir uploads',
      'import resolved',
    ]);
  });

  it('alert and gap appends: synced before they resolve; a new log file\'s directory entry too', async () => {
    const dir = newStore();
    const alert = { time: START, pair: 'A/B', rule: 'zscore', value: 2.5, threshold: 2 };
    await appendAlerts(dir, [alert]);
    journal.entries.push('first alert resolved');
    await appendAlerts(dir, [{ ...alert, time: START + 1 }]);
    journal.entries.push('second alert resolved');
    await appendGaps(dir, [{ symbol: 'AUSDT', fromId: 1, toId: 5, foundAt: START, filledAt: null, trades: 5, status: 'open' }]);
    journal.entries.push('gap resolved');
    expect(journal.entries.map(noL0Count)).toEqual([
      'syncDir .', 'syncFile alerts/2026-05-01.jsonl', 'syncDir alerts', 'first alert resolved',
      'syncFile alerts/2026-05-01.jsonl', 'second alert resolved',
      'syncDir .', 'syncFile gaps/gaps.jsonl', 'syncDir gaps', 'gap resolved',
    ]);
  });
});
