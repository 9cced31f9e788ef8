// The calls that decide what survives a power loss: fsync of a file's contents, fsync of a directory's entries,
// and the rename that publishes a file. Every publication in the store goes through these (and only these), so
// the order they run in is the store's durability contract; test/store/durable-publish-order.test.ts pins it.
import { closeSync, fsyncSync, openSync, promises as fsp, renameSync } from 'node:fs';

// Windows cannot open a directory as a file; there a rename is as durable as NTFS makes it.
const DIRECTORIES_SYNCABLE = process.platform !== 'win32';

async function fsyncPath(p: string): Promise<void> {
  // Read-only is enough on Linux: fsync flushes the inode's dirty pages whichever descriptor wrote them.
  const handle = await fsp.open(p, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

function fsyncPathSync(p: string): void {
  const fd = openSync(p, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Puts a file's contents on the disk (off the event loop). */
export function syncFile(file: string): Promise<void> {
  return fsyncPath(file);
}

/** Puts a file's contents on the disk, blocking; for the small manifest whose publication must stay synchronous. */
export function syncFileSync(file: string): void {
  fsyncPathSync(file);
}

/** Puts a directory's entries (files renamed or created in it) on the disk. */
export async function syncDir(dir: string): Promise<void> {
  if (DIRECTORIES_SYNCABLE) await fsyncPath(dir);
}

/** Moves `from` to `to` atomically, replacing `to`. Durable only once the caller syncs the directory. */
export function rename(from: string, to: string): void {
  renameSync(from, to);
}
