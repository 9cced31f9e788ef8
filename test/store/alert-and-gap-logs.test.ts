// The alert and gap logs: several processes append at once and a reader sees every record exactly once,
// gap updates (open → filled) resolve to the latest state, queries filter by time, pair and status, and a line cut
// short by a power loss costs only its own record.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendAlerts, appendGaps, openStoreReader } from '../../src/store';
import { tempStoreDir } from './helpers';
import { ensureCompiledStore, exited, startWorker } from './compiled-store';

let store: ReturnType<typeof tempStoreDir>;
beforeAll(() => { ensureCompiledStore(); store = tempStoreDir('logs'); });
afterAll(() => store?.remove());

describe('alert and gap logs', () => {
  it('keep every record from concurrent appenders once, with the latest gap state', async () => {
    const outputs: string[] = [];
    const workers = ['AAA', 'BBB', 'CCC'].map((tag) => startWorker('append-records.cjs', [store.dir, tag, '1200'], (l) => outputs.push(l)));
    const codes = await Promise.all(workers.map(exited));
    expect(codes).toEqual([0, 0, 0]);
    expect(outputs).toEqual(['done', 'done', 'done']);

    const reader = await openStoreReader({ dir: store.dir });
    const all = await reader.alerts();
    expect(all).toHaveLength(3600);
    for (const tag of ['AAA', 'BBB', 'CCC']) {
      const mine = await reader.alerts({ pair: `${tag}/X` });
      expect(mine.map((a) => a.value)).toEqual(Array.from({ length: 1200 }, (_, i) => i));
      expect(mine[7].message).toBe(`${tag} alert 7, "quoted"`);
    }
    const midnight = Date.UTC(2026, 7, 2);
    const afterMidnight = await reader.alerts({ from: midnight, pair: 'AAA/X' });
    expect(afterMidnight.map((a) => a.value)).toEqual(Array.from({ length: 600 }, (_, i) => 600 + i));
    expect((await reader.alerts({ limit: 5 })).map((a) => a.time)).toEqual(all.slice(-5).map((a) => a.time));

    const gaps = await reader.gaps();
    expect(gaps).toHaveLength(3 * 24);
    expect(gaps.every((g) => g.status === 'filled' && g.filledAt === g.foundAt + 5)).toBe(true);
    await appendGaps(store.dir, [{ symbol: 'AAAUSDT', fromId: 0, toId: 9, foundAt: 1, filledAt: null, trades: 0, status: 'abandoned' }]);
    expect(await reader.gaps({ status: 'abandoned' })).toEqual([{ symbol: 'AAAUSDT', fromId: 0, toId: 9, foundAt: 1, filledAt: null, trades: 0, status: 'abandoned' }]);
    expect(await reader.gaps({ symbol: 'BBBUSDT' })).toHaveLength(24);

    const q = await reader.query("SELECT count(*) AS n FROM alerts WHERE rule = 'zscore'");
    expect(q.columns[0].values[0]).toBe(3600);
    const g = await reader.query('SELECT status, count(*) AS n FROM gaps GROUP BY 1 ORDER BY 1');
    expect(g.columns.map((c) => c.values)).toEqual([['abandoned', 'filled'], [1, 71]]);
    await reader.close();
  });

  it('refuse malformed records and write nothing', async () => {
    const reader = await openStoreReader({ dir: store.dir });
    const before = (await reader.alerts()).length;
    await expect(appendAlerts(store.dir, [{ time: 1, pair: 'A/B', rule: 'z', value: 1, threshold: 1 }, { time: NaN, pair: 'A/B', rule: 'z', value: 1, threshold: 1 }]))
      .rejects.toThrow(/alert 1 .* finite time/);
    await expect(appendGaps(store.dir, [{ symbol: 'X', fromId: 5, toId: 4, foundAt: 1, filledAt: null, trades: 0, status: 'open' }])).rejects.toThrow(/fromId ≤ toId/);
    expect((await reader.alerts()).length).toBe(before);
    await reader.close();
  });

  it('lose only the record a power loss cut short: the next append starts on a new line, readers skip the cut one', async () => {
    const own = tempStoreDir('cut-log');
    try {
      const alert = (value: number) => ({ time: Date.UTC(2026, 4, 1, 10, 0, value), pair: 'CUT/X', rule: 'zscore', value, threshold: 2 });
      mkdirSync(path.join(own.dir, 'alerts'));
      const file = path.join(own.dir, 'alerts', '2026-05-01.jsonl');
      const cut = JSON.stringify(alert(2)).slice(0, 30);
      writeFileSync(file, `${JSON.stringify(alert(1))}\n${cut}`);
      await appendAlerts(own.dir, [alert(3)]);
      expect(readFileSync(file, 'utf8')).toBe(`${JSON.stringify(alert(1))}\n${cut}\n${JSON.stringify(alert(3))}\n`);
      const reader = await openStoreReader({ dir: own.dir });
      expect((await reader.alerts()).map((a) => a.value)).toEqual([1, 3]);
      expect((await reader.query('SELECT count(*) AS n FROM alerts')).columns[0].values).toEqual([2]);
      await reader.close();
    } finally {
      own.remove();
    }
  });
});
