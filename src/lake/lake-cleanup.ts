// Deleting what the lake manifest no longer lists: replaced parts once their grace period has ended, and orphans
// (parts or staging files of an export that never reached the manifest) once they are old enough that no export
// still running can be about to list them.
import { PART_PATH, type LakeManifest } from './lake-manifest';
import { updateLakeManifest } from './manifest-update';
import type { LakeStorage } from './lake-storage';

/** An export publishes its parts within seconds; anything unlisted this long is left over. */
export const ORPHAN_AGE_MS = 3_600_000;

/** Deletes tombstoned parts whose grace period ended and publishes the manifest without them; returns how many. */
export async function deleteExpired(storage: LakeStorage, m: LakeManifest, graceMs: number, now: number): Promise<number> {
  const expired = (m.tombstones ?? []).filter((t) => Date.parse(t.removedAt) + graceMs <= now);
  if (expired.length === 0) return 0;
  for (const t of expired) await storage.remove(t.path);
  const gone = new Set(expired.map((t) => t.path));
  await updateLakeManifest(storage, (fresh) => { fresh.tombstones = fresh.tombstones.filter((t) => !gone.has(t.path)); });
  return expired.length;
}

/** When a part was written, from its id (`part-20261206T163846Z-…`), or NaN. */
function partTime(key: string): number {
  const m = /\/part-(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z-[0-9a-f]+\.parquet(?:\.[0-9a-z-]+\.tmp)?$/.exec(key);
  return m ? Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]) : NaN;
}

/** Deletes parts (and a directory lake's staging files) that the manifest neither lists nor tombstones, over an hour old. */
export async function deleteOrphans(storage: LakeStorage, m: LakeManifest, now: number): Promise<number> {
  const known = new Set([...m.days.flatMap((d) => [d.ticks.path, d.bars1s.path]), ...(m.tombstones ?? []).map((t) => t.path)]);
  let deleted = 0;
  for (const key of await storage.list()) {
    const isPart = PART_PATH.test(key) || PART_PATH.test(key.replace(/\.[0-9a-z-]+\.tmp$/, ''));
    if (!isPart || known.has(key) || !(partTime(key) + ORPHAN_AGE_MS <= now)) continue;
    await storage.remove(key);
    deleted++;
  }
  return deleted;
}
