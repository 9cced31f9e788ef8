// Reading the lake manifest, and changing it by compare-and-replace: an exporter re-reads and re-applies its change
// when another exporter replaced the manifest in between, so neither loses the other's days.
import { emptyLakeManifest, LAKE_MANIFEST, parseLakeManifest, type LakeManifest, type LakeTombstone } from './lake-manifest';
import type { LakeStorage } from './lake-storage';

/** Conflicts need another exporter replacing the manifest in the few ms between our read and write. */
const MAX_ATTEMPTS = 20;

export async function readVersionedManifest(storage: LakeStorage): Promise<{ manifest: LakeManifest; version: string | null }> {
  const { text, version } = await storage.readManifest(LAKE_MANIFEST);
  return { manifest: text === null ? emptyLakeManifest() : parseLakeManifest(text, `${storage.uri}/${LAKE_MANIFEST}`), version };
}

export async function readLakeManifest(storage: LakeStorage): Promise<LakeManifest> {
  return (await readVersionedManifest(storage)).manifest;
}

/** Applies `change` to the current manifest and replaces it; `change` may run more than once, on fresher manifests. */
export async function updateLakeManifest<T>(storage: LakeStorage, change: (m: LakeManifest & { tombstones: LakeTombstone[] }) => T): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    const { manifest, version } = await readVersionedManifest(storage);
    const outcome = change(Object.assign(manifest, { tombstones: manifest.tombstones ?? [] }));
    manifest.updatedAt = new Date().toISOString();
    if (await storage.replaceManifest(LAKE_MANIFEST, JSON.stringify(manifest), version)) return outcome;
    if (attempt >= MAX_ATTEMPTS) throw new Error(`${storage.uri}/${LAKE_MANIFEST} was replaced by another writer ${attempt} times in a row while this export tried to update it; try again`);
  }
}
