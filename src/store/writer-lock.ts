// One tick writer per store directory, enforced by a lock file naming the writer (pid, host, boot, start time).
// A lock is created whole: its content goes to a temp file that is hard-linked to the lock's name, which fails if a
// lock exists, so nobody reads a half-written lock. A lock whose process is gone is stale (the writer was killed, or
// the machine restarted) and is taken over, but only through removeIfUnchanged, so that of several processes
// racing over the same stale lock exactly one removes it and none removes the lock a faster one has just made.
import { createHash } from 'node:crypto';
import { linkSync, readdirSync, readFileSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';
import { tempPathFor } from './fs-atomic';

export const LOCK_NAME = 'writer.lock';

/** How long acquireWriterLock keeps retrying a takeover that other processes are in the middle of. */
const TAKEOVER_TIMEOUT_MS = 5_000;
/** Guards of guards (see removeIfUnchanged); each level needs a process to die inside the one below. */
const MAX_GUARD_DEPTH = 3;
/** Temp and guard files live microseconds; older ones were left by a process killed while holding them. */
const LEFTOVER_AGE_MS = 60_000;

export class WriterLockedError extends Error {
  constructor(readonly dir: string, readonly pid: number) {
    super(`store ${dir} already has a tick writer: process ${pid} holds ${path.join(dir, LOCK_NAME)}. ` +
      'Stop that process first, or open the store with openStoreReader to read it.');
    this.name = 'WriterLockedError';
  }
}

/** What a lock (or a takeover guard) file holds. */
export interface LockOwner {
  pid: number;
  host: string;
  /** Linux's id of the running boot: a lock from an earlier boot is stale whatever its pid names now. */
  bootId?: string;
  startedAt: string;
}

let cachedBootId: string | null | undefined;

function currentBootId(): string | undefined {
  if (cachedBootId === undefined) {
    try {
      cachedBootId = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim() || null;
    } catch {
      cachedBootId = null; // not Linux: liveness rests on the pid alone
    }
  }
  return cachedBootId ?? undefined;
}

export function ownerOfThisProcess(): LockOwner {
  const bootId = currentBootId();
  return { pid: process.pid, host: hostname(), ...(bootId ? { bootId } : {}), startedAt: new Date().toISOString() };
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function parseOwner(text: string): LockOwner | undefined {
  try {
    const o = JSON.parse(text) as Partial<LockOwner>;
    return Number.isSafeInteger(o.pid) && typeof o.host === 'string' && typeof o.startedAt === 'string' ? o as LockOwner : undefined;
  } catch {
    return undefined;
  }
}

type Verdict = { holder: 'live' | 'other-host'; owner: LockOwner } | { holder: 'gone' };

function judge(text: string, me: LockOwner): Verdict {
  const owner = parseOwner(text);
  // Locks are created whole, so unreadable content was cut by a power loss (or written by an older version killed
  // while creating it): nobody holds it.
  if (!owner) return { holder: 'gone' };
  if (owner.host !== me.host) return { holder: 'other-host', owner };
  if (owner.bootId !== undefined && me.bootId !== undefined && owner.bootId !== me.bootId) return { holder: 'gone' };
  return isRunning(owner.pid) ? { holder: 'live', owner } : { holder: 'gone' };
}

function readText(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

function unlinkQuietly(file: string): void {
  try { unlinkSync(file); } catch { /* already gone */ }
}

/** Creates `file` holding `text` in one step; false if `file` exists. */
function createWhole(file: string, text: string): boolean {
  const tmp = tempPathFor(file);
  writeFileSync(tmp, text);
  try {
    linkSync(tmp, file);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  } finally {
    unlinkQuietly(tmp);
  }
}

/** The guard a process must create before it may remove `file` while `file` holds `seen`. */
export function takeoverGuardPath(file: string, seen: string): string {
  return `${file}.takeover-${createHash('sha256').update(seen).digest('hex').slice(0, 16)}`;
}

/**
 * Removes `file` if it still holds `seen`, the content of an owner that is gone. Only the creator of the guard for
 * `seen` may look and remove, and `seen` never comes back once removed (it names a pid, boot and start time), so
 * whatever `file` holds by then, a newer lock is never removed. A guard whose creator died is itself removed the
 * same way, one level up. False when a live process holds the guard: try again shortly.
 */
function removeIfUnchanged(file: string, seen: string, me: LockOwner, depth: number): boolean {
  const guard = takeoverGuardPath(file, seen);
  if (!createWhole(guard, JSON.stringify(me))) {
    const held = readText(guard);
    if (held !== undefined && depth < MAX_GUARD_DEPTH && judge(held, me).holder === 'gone') removeIfUnchanged(guard, held, me, depth + 1);
    return false;
  }
  try {
    if (readText(file) === seen) unlinkQuietly(file);
  } finally {
    unlinkQuietly(guard);
  }
  return true;
}

/** Deletes lock temp files and guards that processes killed while holding them left behind. */
function removeLeftovers(dir: string, lockName: string): void {
  const now = Date.now();
  for (const name of readdirSync(dir)) {
    if (!name.startsWith(`${lockName}.`)) continue;
    const file = path.join(dir, name);
    try {
      if (now - statSync(file).mtimeMs > LEFTOVER_AGE_MS) unlinkSync(file);
    } catch { /* removed meanwhile */ }
  }
}

/** Takes the store's writer lock or throws WriterLockedError naming the holder. Returns the release function. */
export function acquireWriterLock(dir: string): Promise<() => void> {
  return acquireLockFile(dir, LOCK_NAME, (pid) => new WriterLockedError(dir, pid));
}

/**
 * Takes the lock file `lockName` in `dir` (the writer lock's protocol: created whole, stale once its process is gone)
 * or throws `locked(pid)` naming the live holder. Returns the release function.
 */
export async function acquireLockFile(dir: string, lockName: string, locked: (pid: number) => Error): Promise<() => void> {
  const file = path.join(dir, lockName);
  const me = ownerOfThisProcess();
  const mine = JSON.stringify(me);
  const deadline = Date.now() + TAKEOVER_TIMEOUT_MS;
  for (;;) {
    if (createWhole(file, mine)) {
      removeLeftovers(dir, lockName);
      return () => {
        if (readText(file) === mine) unlinkQuietly(file);
      };
    }
    const held = readText(file);
    if (held !== undefined) {
      const verdict = judge(held, me);
      if (verdict.holder === 'live') throw locked(verdict.owner.pid);
      if (verdict.holder === 'other-host') {
        throw new Error(`${file} is locked by process ${verdict.owner.pid} on host ${verdict.owner.host}; ` +
          `if that process is gone, delete ${file} by hand`);
      }
      if (removeIfUnchanged(file, held, me, 1)) continue;
    }
    if (Date.now() > deadline) {
      throw new Error(`could not take the writer lock ${file} within ${TAKEOVER_TIMEOUT_MS / 1000} s: other processes keep taking ` +
        `it over; if no Pairs Lab process holding it is running, delete ${file} and any ${lockName}.takeover-* files beside it`);
    }
    await new Promise((r) => setTimeout(r, 2 + Math.random() * 8));
  }
}
