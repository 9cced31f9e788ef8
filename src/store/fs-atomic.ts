// Small filesystem helpers: atomic replacement, SQL literal quoting for paths we generate, directory walks.
import { promises as fsp, readdirSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';

/** A temp name beside `target` that no other process will pick; it ends in `.tmp` so no reader lists it. */
export function tempPathFor(target: string): string {
  return `${target}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`;
}

/** Replaces `target` with `data` so that a concurrent reader sees either the old or the new content. */
export function writeFileAtomicSync(target: string, data: string): void {
  const tmp = tempPathFor(target);
  writeFileSync(tmp, data);
  try {
    renameSync(tmp, target);
  } catch (err) {
    try { unlinkSync(tmp); } catch { /* already gone */ }
    throw err;
  }
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
