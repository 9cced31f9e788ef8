// One tick writer per store directory, enforced by a lock file holding the writer's pid.
// A lock whose pid is no longer running is stale (the writer was killed) and is taken over.
import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';

export const LOCK_NAME = 'writer.lock';

export class WriterLockedError extends Error {
  constructor(readonly dir: string, readonly pid: number) {
    super(`store ${dir} already has a tick writer: process ${pid} holds ${path.join(dir, LOCK_NAME)}. ` +
      'Stop that process first, or open the store with openStoreReader to read it.');
    this.name = 'WriterLockedError';
  }
}

interface LockContent {
  pid: number;
  host: string;
  startedAt: string;
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readLock(file: string): LockContent | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as LockContent;
  } catch {
    return undefined; // missing, or half-written by a writer killed while creating it
  }
}

/** Takes the store's writer lock or throws WriterLockedError naming the holder. Returns the release function. */
export async function acquireWriterLock(dir: string): Promise<() => void> {
  const file = path.join(dir, LOCK_NAME);
  const content: LockContent = { pid: process.pid, host: hostname(), startedAt: new Date().toISOString() };
  for (let attempt = 0; attempt < 5; attempt++) {
    try {
      const fd = openSync(file, 'wx');
      writeSync(fd, JSON.stringify(content));
      closeSync(fd);
      return () => {
        if (readLock(file)?.pid === process.pid) {
          try { unlinkSync(file); } catch { /* already removed */ }
        }
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const holder = readLock(file);
    if (!holder && attempt < 3) {
      // Possibly another writer between creating and filling the file: look again before calling it stale.
      await new Promise((r) => setTimeout(r, 100));
      continue;
    }
    if (holder && holder.host === content.host && isRunning(holder.pid)) throw new WriterLockedError(dir, holder.pid);
    if (holder && holder.host !== content.host) {
      throw new Error(`store ${dir} is locked by process ${holder.pid} on host ${holder.host}; ` +
        `if that writer is gone, delete ${file} by hand`);
    }
    try { unlinkSync(file); } catch { /* another process took it over first */ }
  }
  throw new Error(`could not take the writer lock ${file}: another process keeps re-creating it`);
}
