// Where a lake's bytes live. The exporter writes a part to a staging file, then `publish` makes it visible whole under
// its final key; the manifest is replaced whole, by compare-and-replace, by `replaceManifest`. Readers get local paths to read with DuckDB.
import { mkdirSync, promises as fsp, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createHash, randomBytes } from 'node:crypto';
import type { LakeLocation } from './lake-uri';
import { listFilesRecursive, makeDirDurable, publishFile, replaceFileSync, tempPathFor, unlinkIfExists } from '../store/fs-atomic';
import { syncDir } from '../store/disk-sync';
import { S3Client, type S3Options } from './s3-client';

const digest = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

/** A manifest replacement takes milliseconds; a lock this old was left by a killed process. */
const STALE_LOCK_MS = 30_000;

/**
 * An exclusive lock file around a directory lake's manifest compare-and-replace. A stale lock is moved aside under a
 * unique name first, so of several processes that find it stale only one removes it.
 */
async function takeFileLock(lock: string): Promise<() => void> {
  const deadline = Date.now() + 2 * STALE_LOCK_MS;
  for (;;) {
    try {
      writeFileSync(lock, String(process.pid), { flag: 'wx' });
      return () => { try { unlinkSync(lock); } catch { /* already gone */ } };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    try {
      if (Date.now() - statSync(lock).mtimeMs > STALE_LOCK_MS) {
        const aside = tempPathFor(lock);
        renameSync(lock, aside);
        unlinkSync(aside);
        continue;
      }
    } catch { /* released or moved meanwhile: try again */ }
    if (Date.now() > deadline) throw new Error(`${lock} is held by another exporter for over ${2 * STALE_LOCK_MS / 1000} s; if none runs, delete it`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** A listed part that is gone: the manifest read was older than a re-export plus its grace period. */
export class LakePartGoneError extends Error {}

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
  /** Every key of the lake (relative to its root). */
  list(): Promise<string[]>;
  /** Creates the bucket of an S3 lake (the exporter does when reading the manifest said it is missing). */
  createBucket(): Promise<void>;
}

class LocalStorage implements LakeStorage {
  constructor(private readonly dir: string, readonly uri: string) {}

  private abs(key: string): string {
    return path.join(this.dir, ...key.split('/'));
  }

  async read(key: string): Promise<Buffer | null> {
    try {
      return await fsp.readFile(this.abs(key));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw err;
    }
  }

  async stagingPath(key: string): Promise<string> {
    const target = this.abs(key);
    await makeDirDurable(path.dirname(target));
    return tempPathFor(target);
  }

  async publish(staged: string, key: string): Promise<void> {
    const target = this.abs(key);
    await publishFile(staged, target);
    await syncDir(path.dirname(target));
  }

  async readManifest(key: string): Promise<{ text: string | null; version: string | null }> {
    const bytes = await this.read(key);
    return bytes === null ? { text: null, version: null } : { text: bytes.toString('utf8'), version: digest(bytes) };
  }

  async replaceManifest(key: string, text: string, version: string | null): Promise<boolean> {
    await makeDirDurable(this.dir);
    const target = this.abs(key);
    const release = await takeFileLock(`${target}.lock`);
    try {
      const current = await this.read(key);
      if ((current === null ? null : digest(current)) !== version) return false;
      replaceFileSync(target, text);
    } finally {
      release();
    }
    await syncDir(this.dir);
    return true;
  }

  async remove(key: string): Promise<void> {
    await unlinkIfExists(this.abs(key));
  }

  async localPath(key: string): Promise<string> {
    return this.abs(key);
  }

  async createBucket(): Promise<void> {
    // A directory lake is created by its first write.
  }

  async list(): Promise<string[]> {
    return listFilesRecursive(this.dir);
  }
}

class S3Storage implements LakeStorage {
  private readonly staging = path.join(os.tmpdir(), `pairs-lab-lake-staging-${process.pid}`);

  constructor(private readonly client: S3Client, private readonly bucket: string, private readonly prefix: string, readonly uri: string) {}

  private key(key: string): string {
    return this.prefix ? `${this.prefix}/${key}` : key;
  }

  read(key: string): Promise<Buffer | null> {
    return this.client.getObject(this.bucket, this.key(key));
  }

  async stagingPath(): Promise<string> {
    mkdirSync(this.staging, { recursive: true });
    return path.join(this.staging, `${randomBytes(8).toString('hex')}.parquet.tmp`);
  }

  async publish(staged: string, key: string): Promise<void> {
    try {
      await this.client.putObject(this.bucket, this.key(key), await fsp.readFile(staged));
    } finally {
      await unlinkIfExists(staged);
    }
  }

  async readManifest(key: string): Promise<{ text: string | null; version: string | null }> {
    const v = await this.client.getObjectVersion(this.bucket, this.key(key));
    return v === null ? { text: null, version: null } : { text: v.body.toString('utf8'), version: v.etag };
  }

  replaceManifest(key: string, text: string, version: string | null): Promise<boolean> {
    return this.client.putObject(this.bucket, this.key(key), Buffer.from(text), version === null ? { ifNoneMatch: '*' } : { ifMatch: version });
  }

  async remove(key: string): Promise<void> {
    await this.client.deleteObject(this.bucket, this.key(key));
  }

  createBucket(): Promise<void> {
    return this.client.createBucket(this.bucket);
  }

  async list(): Promise<string[]> {
    const below = this.prefix ? `${this.prefix}/` : '';
    return (await this.client.listKeys(this.bucket, below)).map((k) => k.slice(below.length));
  }

  async localPath(key: string, cacheDir: string): Promise<string> {
    // Parts are immutable (a re-export writes a new part id), so a cached copy never goes stale.
    const target = path.join(cacheDir, ...key.split('/'));
    try {
      await fsp.access(target);
      return target;
    } catch { /* not cached yet */ }
    const bytes = await this.client.getObject(this.bucket, this.key(key));
    if (bytes === null) throw new LakePartGoneError(`${this.uri}/${key} is listed in the lake manifest but is not in the bucket; it may have been replaced by a re-export: query again`);
    mkdirSync(path.dirname(target), { recursive: true });
    const tmp = tempPathFor(target);
    await fsp.writeFile(tmp, bytes);
    await fsp.rename(tmp, target);
    return target;
  }
}

export interface LakeStorageOptions {
  /** S3 endpoint, credentials and region; defaults from the AWS_* environment variables. */
  s3?: S3Options;
}

export function openLakeStorage(location: LakeLocation, opts: LakeStorageOptions = {}): LakeStorage {
  if (location.kind === 'local') return new LocalStorage(location.dir, location.uri);
  return new S3Storage(new S3Client(opts.s3 ?? {}), location.bucket, location.prefix, location.uri);
}

