// A lake in a directory (local or shared): parts are staged beside their final name and renamed; the manifest is
// compared and replaced under a lock file.
import { promises as fsp, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { listFilesRecursive, makeDirDurable, publishFile, replaceFileSync, tempPathFor, unlinkIfExists } from '../store/fs-atomic';
import { syncDir } from '../store/disk-sync';
import type { LakeStorage } from './lake-storage';

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

export class DirectoryStorage implements LakeStorage {
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

  async evictCached(): Promise<number> {
    return 0; // a directory lake is read in place
  }

  async list(): Promise<string[]> {
    return listFilesRecursive(this.dir);
  }
}

