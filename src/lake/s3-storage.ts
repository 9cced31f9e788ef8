// A lake in an S3 bucket below a prefix: parts are staged in a local temp folder and uploaded whole; the manifest is
// replaced by a conditional PUT; readers get parts through a local cache.
import { mkdirSync, promises as fsp } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { listFilesRecursive, tempPathFor, unlinkIfExists } from '../store/fs-atomic';
import { PART_PATH } from './lake-manifest';
import type { S3Client } from './s3-client';
import type { LakeStorage } from './lake-storage';

/** A listed part that is gone: the manifest read was older than a re-export plus its grace period. */
export class LakePartGoneError extends Error {}

export class S3Storage implements LakeStorage {
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

  async evictCached(cacheDir: string, keep: ReadonlySet<string>): Promise<number> {
    let evicted = 0;
    for (const key of listFilesRecursive(cacheDir)) {
      if (!PART_PATH.test(key) || keep.has(key)) continue;
      await unlinkIfExists(path.join(cacheDir, ...key.split('/')));
      evicted++;
    }
    return evicted;
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

