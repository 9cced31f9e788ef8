// The writer lock's takeover of a stale lock: of many processes racing over one stale lock exactly one wins and
// nobody removes the winner's lock; a takeover guard left by a killed process does not block; a lock from an earlier
// boot or cut short by a power loss is stale; a live holder and a holder on another host are refused as before.
import { spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { acquireWriterLock, ownerOfThisProcess, takeoverGuardPath, WriterLockedError, type LockOwner } from '../../src/store/writer-lock';
import { tempStoreDir } from './helpers';
import { ensureCompiledStore, exited, startWorker, waitFor } from './compiled-store';

const stores: ReturnType<typeof tempStoreDir>[] = [];
function newStore(): string {
  const s = tempStoreDir('lock');
  stores.push(s);
  return s.dir;
}
afterEach(() => { while (stores.length) stores.pop()!.remove(); });

/** The pid of a process that has exited (and been reaped), so it names nobody. */
function deadPid(): number {
  const pid = spawnSync(process.execPath, ['-e', '']).pid;
  if (pid === undefined) throw new Error('could not start a process to get a dead pid');
  return pid;
}

function lockText(owner: Partial<LockOwner>): string {
  return JSON.stringify({ host: hostname(), ...owner });
}

const bootId = ownerOfThisProcess().bootId;

describe('taking over a stale lock', () => {
  beforeAll(() => ensureCompiledStore());

  it('lets exactly one of 8 racing processes win, and nobody removes the winner\'s lock (24 rounds)', async () => {
    const dir = newStore();
    const lockFile = path.join(dir, 'writer.lock');
    const dead = deadPid();
    const lines: string[] = [];
    const racers: ChildProcess[] = [];
    try {
      for (let i = 0; i < 8; i++) racers.push(startWorker('lock-racer.cjs', [dir], (l) => lines.push(l), { stdin: true }));
      await waitFor('8 racers to start', 30_000, () => (lines.filter((l) => l.startsWith('ready')).length === 8 ? true : undefined));
      const pids = new Set(racers.map((c) => c.pid));

      const staleLocks: { name: string; write: (round: number) => void }[] = [
        { name: 'dead pid', write: (r) => writeFileSync(lockFile, lockText({ pid: dead, bootId, startedAt: new Date(r).toISOString() })) },
        { name: 'cut short by a power loss', write: (r) => writeFileSync(lockFile, `{"pid":${dead},"host":"${hostname()}","star`.slice(0, 10 + (r % 20))) },
        {
          name: 'dead pid, with the guard of a takeover whose process was killed',
          write: (r) => {
            const text = lockText({ pid: dead, bootId, startedAt: new Date(r).toISOString() });
            writeFileSync(lockFile, text);
            writeFileSync(takeoverGuardPath(lockFile, text), lockText({ pid: dead, bootId, startedAt: new Date(r + 1).toISOString() }));
          },
        },
      ];
      if (bootId) {
        // A live pid (this test's own) recorded under another boot: after a restart it may name an unrelated process.
        staleLocks.push({ name: 'earlier boot', write: (r) => writeFileSync(lockFile, lockText({ pid: process.pid, bootId: `before-${r}`, startedAt: new Date(r).toISOString() })) });
      }

      for (let round = 0; round < 24; round++) {
        const stale = staleLocks[round % staleLocks.length];
        stale.write(round);
        const of = (kind: string) => lines.filter((l) => l.startsWith(`${kind} ${round} `));
        for (const c of racers) c.stdin!.write(`go ${round} ${Date.now() + 60}\n`);
        await waitFor(`round ${round} (${stale.name}) to finish`, 15_000, () => (of('won').length + of('lost').length === 8 ? true : undefined));
        const won = of('won');
        expect(won, `round ${round}, stale lock: ${stale.name}`).toHaveLength(1);
        expect(won[0]).toBe(`won ${round} ok`);
        const winner = JSON.parse(readFileSync(lockFile, 'utf8')) as LockOwner;
        expect(pids.has(winner.pid)).toBe(true);
        expect(of('lost'), `round ${round}, stale lock: ${stale.name}`).toEqual(Array(7).fill(`lost ${round} locked ${winner.pid}`));

        for (const c of racers) c.stdin!.write(`release ${round}\n`);
        await waitFor(`round ${round} release`, 10_000, () => (of('released').length === 1 ? true : undefined));
        expect(of('released')).toEqual([`released ${round} ok`]);
        expect(readdirSync(dir), 'no lock, temp or guard file left after the round').toEqual([]);
      }
    } finally {
      for (const c of racers) c.kill('SIGKILL');
      await Promise.all(racers.map(exited));
    }
  }, 90_000);

  it('is not blocked by guards of killed processes, two levels deep, and removes old leftovers once it holds the lock', async () => {
    const dir = newStore();
    const lockFile = path.join(dir, 'writer.lock');
    const dead = deadPid();
    const stale = lockText({ pid: dead, bootId, startedAt: '2026-01-01T00:00:00.000Z' });
    writeFileSync(lockFile, stale);
    const guard = takeoverGuardPath(lockFile, stale);
    const guardText = lockText({ pid: dead, bootId, startedAt: '2026-01-01T00:00:01.000Z' });
    writeFileSync(guard, guardText);
    writeFileSync(takeoverGuardPath(guard, guardText), lockText({ pid: dead, bootId, startedAt: '2026-01-01T00:00:02.000Z' }));
    const leftoverTemp = `${lockFile}.${dead}-0badc0de.tmp`;
    writeFileSync(leftoverTemp, stale);
    const freshTemp = `${lockFile}.${process.pid}-12345678.tmp`; // might be another process's, mid-acquire: kept
    writeFileSync(freshTemp, stale);
    const old = (Date.now() - 120_000) / 1000;
    utimesSync(leftoverTemp, old, old);

    const t0 = Date.now();
    const release = await acquireWriterLock(dir);
    expect(Date.now() - t0).toBeLessThan(2_000);
    expect(JSON.parse(readFileSync(lockFile, 'utf8'))).toMatchObject({ pid: process.pid });
    expect(readdirSync(dir).sort()).toEqual(['writer.lock', path.basename(freshTemp)].sort());
    release();
    expect(existsSync(lockFile)).toBe(false);
  });

  it('treats a lock from an earlier boot as stale even when its pid is running now', async () => {
    if (!bootId) return; // no boot id outside Linux: nothing to compare
    const dir = newStore();
    writeFileSync(path.join(dir, 'writer.lock'), lockText({ pid: process.pid, bootId: 'an-earlier-boot', startedAt: '2026-01-01T00:00:00.000Z' }));
    const release = await acquireWriterLock(dir);
    release();
    writeFileSync(path.join(dir, 'writer.lock'), lockText({ pid: process.pid, bootId, startedAt: '2026-01-01T00:00:00.000Z' }));
    const err = await acquireWriterLock(dir).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WriterLockedError);
    expect((err as WriterLockedError).pid).toBe(process.pid);
  });

  it('refuses a lock held on another host, telling the user to delete it by hand', async () => {
    const dir = newStore();
    const lockFile = path.join(dir, 'writer.lock');
    writeFileSync(lockFile, JSON.stringify({ pid: deadPid(), host: 'recorder-box-7', startedAt: '2026-01-01T00:00:00.000Z' }));
    await expect(acquireWriterLock(dir)).rejects.toThrow(`is locked by process`);
    await expect(acquireWriterLock(dir)).rejects.toThrow(`on host recorder-box-7; if that process is gone, delete ${lockFile} by hand`);
    expect(existsSync(lockFile)).toBe(true);
  });

  it('releases only its own lock', async () => {
    const dir = newStore();
    const lockFile = path.join(dir, 'writer.lock');
    const release = await acquireWriterLock(dir);
    const someoneElse = lockText({ pid: process.pid, bootId, startedAt: '2026-01-01T00:00:00.000Z' }); // same pid, another acquisition
    writeFileSync(lockFile, someoneElse);
    release();
    expect(readFileSync(lockFile, 'utf8')).toBe(someoneElse);
  });
});
