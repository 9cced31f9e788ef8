// Export of the same two simulated days to SeaweedFS S3 and to a directory: DuckDB reads identical counts, sums and id
// ranges per symbol-day from both lakes and from the store; S3 re-export is idempotent and a re-merged day replaces the
// old parts, which are deleted after the grace period.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDBInstance } from '@duckdb/node-api';
import { openStoreReader, openStoreWriter, type Tick } from '../../src/store';
import { exportToLake, openLake, S3Client, type LakeReader } from '../../src/lake';
import { sqlPath } from '../../src/store/fs-atomic';
import { tempStoreDir } from '../store/helpers';
import { D1, DAY_MS, dayTicks, lakeSums, sameSums, storeSums } from './helpers';
import { startSeaweed, stopSeaweed, type Seaweed } from './seaweedfs';

const D3 = D1 + 2 * DAY_MS;
const SYMBOLS = ['AAAUSDT', 'BBBUSDT', 'CCCUSDT'];
const BUCKET = 'pairs-lake';

let tmp: ReturnType<typeof tempStoreDir>;
let weed: Seaweed | undefined;
beforeAll(async () => {
  tmp = tempStoreDir('lake-s3');
  weed = await startSeaweed(path.join(tmp.dir, 'weed'), BUCKET);
}, 60_000);
afterAll(async () => {
  await stopSeaweed(weed);
  tmp?.remove();
}, 30_000);

describe('lake export to SeaweedFS S3', () => {
  it('reads the same rows and sums from S3, from a directory and from the store; re-export replaces a backfilled day', async () => {
    const s3 = { endpoint: weed!.endpoint, accessKeyId: weed!.accessKeyId, secretAccessKey: weed!.secretAccessKey };
    const data = path.join(tmp.dir, 'store');
    const ticks: Tick[] = SYMBOLS.flatMap((s, i) => {
      const a = dayTicks(s, D1, 1, 31 + i, 1_000);
      return a.concat(dayTicks(s, D1 + DAY_MS, a[a.length - 1].aggId + 1, 41 + i, 1_000));
    });
    const late = ticks.filter((t) => t.symbol === 'CCCUSDT').slice(20_000, 20_500);
    const lateIds = new Set(late.map((t) => t.aggId));
    const w = await openStoreWriter({ dir: data, flushIntervalMs: 0, compactIntervalMs: 0 });
    let lakes: LakeReader[] = [];
    try {
      const first = ticks.filter((t) => !(t.symbol === 'CCCUSDT' && lateIds.has(t.aggId)));
      for (let i = 0; i < first.length; i += 50_000) { w.append(first.slice(i, i + 50_000)); await w.flush(); }
      await w.compact(D3 + 300_000);

      const uri = `s3://${BUCKET}/team/lake`;
      const toS3 = await exportToLake({ data, lake: uri, now: D3 + 300_000, s3 });
      const local = path.join(tmp.dir, 'lake');
      const toDir = await exportToLake({ data, lake: local, now: D3 + 300_000 });
      expect(toS3.failed).toEqual([]);
      expect(toS3.exported).toHaveLength(6);
      expect(toDir.exported).toHaveLength(6);
      console.log(`[lake figures] ${toS3.ticks} ticks in 6 symbol-days: S3 export ${toS3.durationMs} ms (${(toS3.bytes / 1e6).toFixed(1)} MB, ` +
        `${Math.round(toS3.ticks / (toS3.durationMs / 1000))} ticks/s), directory export ${toDir.durationMs} ms (${Math.round(toDir.ticks / (toDir.durationMs / 1000))} ticks/s); ` +
        `SeaweedFS ready in ${weed!.startupMs} ms`);
      expect(await exportToLake({ data, lake: uri, now: D3 + 300_000, s3 })).toMatchObject({ exported: [], upToDate: 6 });

      const fromS3 = await openLake(uri, { s3, cacheDir: path.join(tmp.dir, 'cache') });
      const fromDir = await openLake(local);
      lakes = [fromS3, fromDir];
      const store = await openStoreReader({ dir: data });
      try {
        const expected = await storeSums(store);
        expect(expected).toHaveLength(6);
        expect(sameSums(await lakeSums(fromS3), expected)).toBe(true);
        expect(sameSums(await lakeSums(fromDir), expected)).toBe(true);
        const bars = 'SELECT symbol, CAST(date AS VARCHAR), count(*)::DOUBLE, sum(trades)::DOUBLE, sum(pv), min(firstId), max(lastId) FROM lake_bars_1s GROUP BY ALL ORDER BY ALL';
        expect((await fromS3.query(bars)).columns).toEqual((await fromDir.query(bars)).columns);

        // The files hold no symbol/date columns: those are the partition keys.
        const db = await DuckDBInstance.create(':memory:');
        const conn = await db.connect();
        const day = fromDir.days()[0];
        const cols = async (rel: string): Promise<string> => (await conn.runAndReadAll(`DESCRIBE SELECT * FROM read_parquet(${sqlPath(path.join(local, rel))}, hive_partitioning = false)`))
          .getRows().map((r) => `${String(r[0])} ${String(r[1])}`).join(', ');
        expect(await cols(day.ticks.path)).toBe('aggId BIGINT, tradeTime BIGINT, price DOUBLE, qty DOUBLE, isBuyerMaker BOOLEAN, recvTime BIGINT');
        expect(await cols(day.bars1s.path)).toBe('time BIGINT, open DOUBLE, high DOUBLE, low DOUBLE, close DOUBLE, volume DOUBLE, trades BIGINT, pv DOUBLE, firstId BIGINT, lastId BIGINT');
        conn.closeSync();
        db.closeSync();

        // Late ticks re-merge CCCUSDT's day 1: S3 gets new parts listed once; the old ones go after the grace period.
        w.append(late);
        await w.flush();
        await w.compact(D3 + 600_000);
        const redo = await exportToLake({ data, lake: uri, now: D3 + 600_000, s3 });
        expect(redo).toMatchObject({ replaced: 1, upToDate: 5 });
        expect(fromS3.days()).toHaveLength(6);
        const client = new S3Client(s3);
        const keys = async (): Promise<number> => (await client.listKeys(BUCKET, 'team/lake/ticks/symbol=CCCUSDT/date=2026-12-01/')).length;
        expect(await keys()).toBe(2);
        expect(await exportToLake({ data, lake: uri, now: D3 + 600_000, s3, graceMs: 0 })).toMatchObject({ exported: [], deletedParts: 2 });
        expect(await keys()).toBe(1);
        expect(sameSums(await lakeSums(fromS3), await storeSums(store))).toBe(true);
      } finally {
        await store.close();
      }
    } finally {
      for (const l of lakes) await l.close();
      await w.close();
    }
  });

  it('wrong credentials, a missing bucket and an unreachable endpoint give errors that say what to check', async () => {
    const s3 = { endpoint: weed!.endpoint, accessKeyId: weed!.accessKeyId, secretAccessKey: 'not-the-secret' };
    await expect(openLake(`s3://${BUCKET}/team/lake`, { s3 })).rejects.toThrow(/HTTP 403 SignatureDoesNotMatch.*check AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY/);
    const good = { ...s3, secretAccessKey: weed!.secretAccessKey };
    await expect(openLake('s3://no-such-bucket/x', { s3: good })).rejects.toThrow(/bucket "no-such-bucket" does not exist/);
    const { freePort } = await import('../support/processes');
    const closed = `http://127.0.0.1:${await freePort()}`;
    await expect(exportToLake({ data: path.join(tmp.dir, 'store'), lake: `s3://${BUCKET}/x`, s3: { ...good, endpoint: closed } }))
      .rejects.toThrow(/cannot reach the S3 endpoint http:\/\/127\.0\.0\.1:\d+ \(ECONNREFUSED\); check that the server runs/);
  });
});
