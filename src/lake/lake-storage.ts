// Where a lake's bytes live. The exporter writes a part to a staging file, then `publish` makes it visible whole under
// its final key; the manifest is replaced whole, by compare-and-replace (`replaceManifest`). Readers get local paths
// to read with DuckDB. Backends: a directory (directory-storage.ts) and an S3 bucket (s3-storage.ts).
import type { LakeLocation } from './lake-uri';
import { S3Client, type S3Options } from './s3-client';
import { DirectoryStorage } from './directory-storage';
import { S3Storage } from './s3-storage';

export { LakePartGoneError } from './s3-storage';

export interface LakeStorage {
  readonly uri: string;
  /** The bytes of `key`, or null when there is no such object. */
  read(key: string): Promise<Buffer | null>;
  /** A temp file to write a part to before `publish` (on the lake's own filesystem when that makes the rename atomic). */
  stagingPath(key: string): Promise<string>;
  /** Makes a finished staging file visible, whole, under `key`; the staging file is gone afterwards. */
  publish(staged: string, key: string): Promise<void>;
  /** The manifest's text and a version token for {@link LakeStorage.replaceManifest}; text null when there is none yet. */
  readManifest(key: string): Promise<{ text: string | null; version: string | null }>;
  /**
   * Replaces the manifest whole if it is still at `version` (null: if there is none), so two exporters never overwrite
   * each other's days; false when another writer replaced it first.
   */
  replaceManifest(key: string, text: string, version: string | null): Promise<boolean>;
  remove(key: string): Promise<void>;
  /** A local path holding the (immutable) object `key`: the file itself, or a copy cached under `cacheDir`. */
  localPath(key: string, cacheDir: string): Promise<string>;
  /** Deletes cached copies (see `localPath`) of parts not in `keep`. */
  evictCached(cacheDir: string, keep: ReadonlySet<string>): Promise<number>;
  /** Every key of the lake (relative to its root). */
  list(): Promise<string[]>;
  /** Creates the bucket of an S3 lake (the exporter does when reading the manifest said it is missing). */
  createBucket(): Promise<void>;
}

export interface LakeStorageOptions {
  /** S3 endpoint, credentials and region; defaults from the AWS_* environment variables. */
  s3?: S3Options;
}

export function openLakeStorage(location: LakeLocation, opts: LakeStorageOptions = {}): LakeStorage {
  if (location.kind === 'local') return new DirectoryStorage(location.dir, location.uri);
  return new S3Storage(new S3Client(opts.s3 ?? {}), location.bucket, location.prefix, location.uri);
}

