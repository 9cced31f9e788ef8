// The watchlist a store keeps: which pairs are watched, in `<data>/watchlist.json`, replaced atomically so a
// session that restarts (or another one on the same store) finds the same list.
import { readFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { replaceFileSync } from './fs-atomic';

export const WATCHLIST_FILE = 'watchlist.json';
const SYMBOL = /^[A-Z0-9][A-Z0-9_-]{0,39}$/;

export interface WatchedPair {
  y: string;
  x: string;
}

interface WatchlistFileContent {
  pairs: WatchedPair[];
  updatedAt: number;
}

/** Checks a list of pairs: symbols, y ≠ x, no pair twice (either way round). Throws with what is wrong. */
export function checkWatchedPairs(pairs: readonly WatchedPair[]): void {
  const seen = new Set<string>();
  for (const [i, p] of pairs.entries()) {
    for (const leg of ['y', 'x'] as const) {
      const s: unknown = p?.[leg];
      if (typeof s !== 'string' || !SYMBOL.test(s)) throw new Error(`pair ${i + 1}: ${leg} ${JSON.stringify(s)} is not a symbol; use upper-case Binance names such as BTCUSDT`);
    }
    if (p.y === p.x) throw new Error(`pair ${i + 1}: y and x are both ${p.y}; a pair needs two different symbols`);
    const key = [p.y, p.x].sort().join('/');
    if (seen.has(key)) throw new Error(`pair ${i + 1}: ${p.y}/${p.x} is already in the list (a pair is watched once, either way round)`);
    seen.add(key);
  }
}

/** The store's watchlist, or null when it has none. A file that cannot be read as one is an error, never ignored. */
export function readWatchlistFile(dir: string): WatchedPair[] | null {
  const file = path.join(dir, WATCHLIST_FILE);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
  try {
    const content = JSON.parse(text) as Partial<WatchlistFileContent>;
    if (!Array.isArray(content.pairs)) throw new Error('it has no "pairs" list');
    const pairs = content.pairs.map((p: WatchedPair) => ({ y: p?.y, x: p?.x }));
    checkWatchedPairs(pairs);
    return pairs;
  } catch (err) {
    throw new Error(`${file} is not a watchlist (${err instanceof Error ? err.message : String(err)}); fix it or move it away to start from the default watchlist`);
  }
}

/** Replaces the store's watchlist. */
export function writeWatchlistFile(dir: string, pairs: readonly WatchedPair[]): void {
  checkWatchedPairs(pairs);
  mkdirSync(dir, { recursive: true });
  const content: WatchlistFileContent = { pairs: pairs.map((p) => ({ y: p.y, x: p.x })), updatedAt: Date.now() };
  replaceFileSync(path.join(dir, WATCHLIST_FILE), `${JSON.stringify(content, null, 1)}\n`);
}
