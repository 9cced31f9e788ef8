// Paper books' journals: `paper/<name>.jsonl`, one event per line, appended whole and synced before the call returns
// (the alert log's append), so a kill at any moment leaves every returned append on the disk and at most one cut
// line, which readers skip. One process appends to a book at a time: `paper/<name>.lock`, the writer lock's protocol.
import { mkdirSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { appendLines, readJsonLines } from './records';
import { acquireLockFile } from './writer-lock';

const PAPER_DIR = 'paper';
const NAME = /^[A-Za-z0-9._-]{1,64}$/;

export class PaperBookLockedError extends Error {
  constructor(readonly book: string, readonly pid: number) {
    super(`paper book "${book}" is already being traded by process ${pid}; stop it there (or stop that kernel) before resuming it here`);
    this.name = 'PaperBookLockedError';
  }
}

export function checkBookName(name: string): void {
  if (!NAME.test(name) || name.startsWith('.')) {
    throw new Error(`paper book name ${JSON.stringify(name)} is not usable: use 1–64 letters, digits, '.', '_' or '-', not starting with '.'`);
  }
}

function journalFile(dir: string, name: string): string {
  checkBookName(name);
  return path.join(dir, PAPER_DIR, `${name}.jsonl`);
}

/** The journal's events in the order they were appended; a book never started is empty. */
export function readPaperJournal(dir: string, name: string): unknown[] {
  return readJsonLines<unknown>(journalFile(dir, name));
}

/** Appends events as one write, on the disk when this resolves. */
export async function appendPaperJournal(dir: string, name: string, events: readonly object[]): Promise<void> {
  if (events.length === 0) return;
  await appendLines(journalFile(dir, name), events.map((e) => `${JSON.stringify(e)}\n`));
}

/** Names of the books with a journal in this store, sorted. */
export function listPaperBooks(dir: string): string[] {
  try {
    return readdirSync(path.join(dir, PAPER_DIR)).filter((n) => n.endsWith('.jsonl')).map((n) => n.slice(0, -'.jsonl'.length)).filter((n) => NAME.test(n)).sort();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
}

/** Takes the book's lock for this process (throws PaperBookLockedError while another live process holds it). */
export function lockPaperBook(dir: string, name: string): Promise<() => void> {
  checkBookName(name);
  const folder = path.join(dir, PAPER_DIR);
  mkdirSync(folder, { recursive: true });
  return acquireLockFile(folder, `${name}.lock`, (pid) => new PaperBookLockedError(name, pid));
}
