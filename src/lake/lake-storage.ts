// Where a lake's bytes live. The exporter writes a part to a staging file, then `publish` makes it visible whole under
// its final key; the manifest is replaced whole by `putManifest`. Readers get local paths to read with DuckDB.
import { mkdirSync, promises as fsp } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { LakeLocation } from './lake-uri';
import { makeDirDurable, publishFile, replaceFileSync, tempPathFor, unlinkIfExists } from '../store/fs-atomic';
import { syncDir } from '../store/disk-sync';
import { S3Client, type S3Options } from './s3-client';

export interface LakeStorage {
  readonly uri: string;
  /** The bytes of `key`, or null when there is no such object. */
  read(key: string): Promise<Buffer | null>;
  /** A temp file to write a part to before `publish` (on the lake's own filesystem when that makes the rename atomic). */
  stagingPath(key: string): Promise<string>;
  /** Makes a finished staging file visible, whole, under `key`; the staging file is gone afterwards. */
  publish(staged: string, key: string): Promise<void>;
  /** Replaces the manifest whole. */
  putManifest(key: string, text: string): Promise<void>;
  remove(key: string): Promise<void>;
  /** A local path holding the (immutable) object `key`: the file itself, or a copy cached under `cacheDir`. */
  localPath(key: string, cacheDir: string): Promise<string>;
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

  async putManifest(key: string, text: string): Promise<void> {
    await makeDirDurable(this.dir);
    replaceFileSync(this.abs(key), text);
    await syncDir(this.dir);
  }

  async remove(key: string): Promise<void> {
    await unlinkIfExists(this.abs(key));
  }

  async localPath(key: string): Promise<string> {
    return this.abs(key);
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

  async putManifest(key: string, text: string): Promise<void> {
    await this.client.putObject(this.bucket, this.key(key), Buffer.from(text));
  }

  async remove(key: string): Promise<void> {
    await this.client.deleteObject(this.bucket, this.key(key));
  }

  async localPath(key: string, cacheDir: string): Promise<string> {
    // Parts are immutable (a re-export writes a new part id), so a cached copy never goes stale.
    const target = path.join(cacheDir, ...key.split('/'));
    try {
      await fsp.access(target);
      return target;
    } catch { /* not cached yet */ }
    const bytes = await this.client.getObject(this.bucket, this.key(key));
    if (bytes === null) throw new Error(`${this.uri}/${key} is listed in the lake manifest but is not in the bucket; it may have been replaced by a re-export: query again`);
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

