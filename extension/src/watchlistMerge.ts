// Applies a watchlist reply to the rows the panel holds: a full reply replaces them, an incremental one changes the
// fields it carries and replaces each sparkline from its first changed bar on.
import type { WatchlistData, WatchRowData } from './protocol';

export function mergeWatchlist(held: ReadonlyMap<string, WatchRowData>, reply: WatchlistData, timeframeMs: number): Map<string, WatchRowData> {
  const out = new Map<string, WatchRowData>();
  const changes = new Map(reply.rows.map((r) => [r.pair, r]));
  for (const pair of reply.pairs) {
    const change = changes.get(pair);
    const before = reply.full ? undefined : held.get(pair);
    if (!before) {
      // a row the client does not hold comes in full
      if (change && change.y !== undefined) out.set(pair, change as WatchRowData);
      continue;
    }
    if (!change) {
      out.set(pair, before);
      continue;
    }
    const { zTail, zTailFrom: sentFrom, ...fields } = change;
    const row: WatchRowData = { ...before, ...fields };
    // an incremental tail ends at the row's newest bar
    const zTailFrom = sentFrom ?? (zTail !== undefined && row.lastTime !== null ? row.lastTime - (zTail.length - 1) * timeframeMs : null);
    if (zTail !== undefined && zTailFrom !== null) {
      // the held values before the tail's first bar stay; a tail that does not join on (a reloaded view) replaces them
      const k = before.zTailFrom === null ? 0 : Math.round((zTailFrom - before.zTailFrom) / timeframeMs);
      const keep = k >= 0 && k <= before.zTail.length ? k : 0;
      const merged = [...before.zTail.slice(0, keep), ...zTail];
      const drop = Math.max(0, merged.length - reply.sparkBars);
      row.zTail = merged.slice(drop);
      row.zTailFrom = (keep > 0 ? (before.zTailFrom as number) : zTailFrom) + drop * timeframeMs;
    }
    out.set(pair, row);
  }
  return out;
}
