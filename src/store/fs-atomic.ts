// Small filesystem helpers: durable publication of files (see disk-sync.ts for the order), SQL literal quoting for
// paths we generate, directory walks.
import { mkdirSync, promises as fsp, readdirSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { rename, syncDir, syncFile, syncFileSync } from './disk-sync';

/** A temp name beside `target` that no other process will pick; it ends in `.tmp` so no reader lists it. */
export function tempPathFor(target: string): string {
  return `${target}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`;
}

/**
 * Replaces `target` with `data` so that a concurrent reader sees either the old or the new content, and the new
 * content is on the disk before the name points to it. Synchronous, for callers that must publish in program order.
 * The replacement itself survives a power loss once the caller has run `syncDir(dirname(target))`.
 */
export function replaceFileSync(target: string, data: string): void {
  const tmp = tempPathFor(target);
  try {
    writeFileSync(tmp, data);
    syncFileSync(tmp);
    rename(tmp, target);
  } catch (err) {
    try { unlinkSync(tmp); } catch { /* already gone */ }
    throw err;
  }
}

/**
 * Gives a finished temp file its final name, contents on the disk first. The name survives a power loss once the
 * caller has run `syncDir(dirname(target))` (callers publishing several files sync each directory once).
 */
export async function publishFile(tmp: string, target: string): Promise<void> {
  await syncFile(tmp);
  rename(tmp, target);
}

/** Creates `dir` and any missing parents so that they survive a power loss (each new entry's parent is synced). */
export async function makeDirDurable(dir: string): Promise<void> {
  const target = path.resolve(dir);
  const first = mkdirSync(target, { recursive: true });
  if (first === undefined) return;
  // Parents of every directory created, from the one that already existed down to the parent of `dir`.
  const parents: string[] = [];
  for (let d = target; d !== path.dirname(first); d = path.dirname(d)) parents.push(path.dirname(d));
  for (const p of parents.reverse()) await syncDir(p);
}

/** A single-quoted SQL string literal. Only for file paths the store generates itself, never for user input. */
export function sqlPath(p: string): string {
  return `'${p.replace(/'/g, "''")}'`;
}

/** `[ 'a', 'b' ]` for read_parquet. */
export function sqlPathList(paths: readonly string[]): string {
  return `[${paths.map(sqlPath).join(', ')}]`;
}

/** Every file below `dir` (recursively), as paths relative to `dir`; missing dir gives []. */
export function listFilesRecursive(dir: string): string[] {
  const out: string[] = [];
  const walk = (rel: string): void => {
    let entries;
    try {
      entries = readdirSync(path.join(dir, rel), { withFileTypes: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw err;
    }
    for (const e of entries) {
      const child = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(child);
      else out.push(child);
    }
  };
  walk('');
  return out;
}

export async function unlinkIfExists(p: string): Promise<boolean> {
  try {
    await fsp.unlink(p);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw err;
  }
}
