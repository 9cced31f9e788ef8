// Removes what readers must never see or no longer need: temp files, files a killed writer renamed but never
// published, and compacted-away files whose grace period has ended (also across writer restarts).
import { unlinkSync } from 'node:fs';
import path from 'node:path';
import { ownedPaths, type Manifest } from './manifest';
import { listFilesRecursive, unlinkIfExists } from './fs-atomic';

/**
 * Deletes `*.tmp` files and data files under `root` (ticks, or a market-data layer) that are neither live nor
 * tombstoned in that root's manifest. Only the lock holder may call this.
 */
export function cleanupUnpublished(dir: string, manifest: Manifest, root = 'ticks'): number {
  const keep = new Set<string>([...manifest.files.flatMap(ownedPaths), ...manifest.tombstones.map((t) => t.path)]);
  let removed = 0;
  const remove = (rel: string): void => {
    try { unlinkSync(path.join(dir, rel)); removed++; } catch { /* gone already */ }
  };
  for (const rel of listFilesRecursive(path.join(dir, root))) {
    const full = `${root}/${rel}`;
    if (rel.endsWith('.tmp') || (rel.endsWith('.parquet') && !keep.has(full))) remove(full);
  }
  for (const rel of listFilesRecursive(dir)) {
    if (!rel.includes('/') && rel.startsWith('manifest') && rel.endsWith('.tmp')) remove(rel);
  }
  return removed;
}

/** Unpublishes and deletes tombstoned files older than the grace period. Returns how many were deleted. */
export async function deleteExpiredTombstones(
  dir: string,
  manifest: Manifest,
  graceMs: number,
  publish: (next: Omit<Manifest, 'version' | 'updatedAt' | 'format'>) => Promise<void>,
): Promise<number> {
  const now = Date.now();
  const due = manifest.tombstones.filter((t) => t.removedAt + graceMs <= now);
  if (due.length === 0) return 0;
  const dueSet = new Set(due.map((t) => t.path));
  const { format: _f, version: _v, updatedAt: _u, ...rest } = manifest;
  // Publish durably first: if we die before unlinking, startup cleanup removes the now-unlisted files; and after a
  // power loss no manifest that still lists them can come back. Unlinks need no fsync: a file whose unlink is lost
  // is unlisted, and startup cleanup removes it again.
  await publish({ ...rest, tombstones: manifest.tombstones.filter((t) => !dueSet.has(t.path)) });
  for (const t of due) await unlinkIfExists(path.join(dir, t.path));
  return due.length;
}
