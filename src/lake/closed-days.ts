// Which symbol-days of a store are complete and final, so that the lake may take them. Compaction's fixed point for a
// closed UTC day is one file per symbol-day (L3, or a lone L1/L2 file that the day merge leaves alone because there is
// nothing to merge it with). A day is not taken while any of its inputs is still in play: an L0 file with ticks of
// that symbol in the day (not yet compacted, e.g. late ticks of a backfill), several L1/L2/L3 files (the day merge is
// pending), the day not yet past the store's close delay, or an open gap whose ids could belong to the day.
import type { GapRecord } from '../store';
import type { FilePart, Manifest, ManifestFile } from '../store/manifest';

export const DAY_MS = 86_400_000;

export interface ClosedDay {
  symbol: string;
  /** YYYY-MM-DD (UTC). */
  date: string;
  dayStart: number;
  /** The one store file holding the symbol-day, and its rollup of one-second bars. */
  file: ManifestFile;
  part: FilePart;
}

export interface ClosedDaysOptions {
  now: number;
  /** How long after the day's end its last files are merged (the store writer's `hourCloseDelayMs`; default 60 s). */
  closeDelayMs?: number;
  gaps?: readonly GapRecord[];
}

export const isoDate = (dayStart: number): string => new Date(dayStart).toISOString().slice(0, 10);

export function closedDays(m: Manifest, opts: ClosedDaysOptions): ClosedDay[] {
  const closeDelayMs = opts.closeDelayMs ?? 60_000;
  const byDay = new Map<string, ManifestFile[]>();
  const busy = new Set<string>();
  for (const f of m.files) {
    for (const [symbol, part] of Object.entries(f.symbols)) {
      if (f.level === 0 || f.hour === undefined) {
        for (let d = Math.floor(part.minT / DAY_MS) * DAY_MS; d <= part.maxT; d += DAY_MS) busy.add(`${symbol}\u0000${d}`);
        continue;
      }
      const key = `${symbol}\u0000${Math.floor(f.hour / DAY_MS) * DAY_MS}`;
      const list = byDay.get(key);
      if (list) list.push(f); else byDay.set(key, [f]);
    }
  }
  const openGaps = (opts.gaps ?? []).filter((g) => g.status === 'open');
  const out: ClosedDay[] = [];
  for (const [key, files] of byDay) {
    if (files.length !== 1 || busy.has(key)) continue;
    const [symbol, startText] = key.split('\u0000');
    const dayStart = Number(startText);
    if (dayStart + DAY_MS + closeDelayMs > opts.now) continue;
    const file = files[0];
    const part = file.symbols[symbol];
    if (openGaps.some((g) => g.symbol === symbol && g.fromId <= part.maxId + 1 && g.toId >= part.minId - 1)) continue;
    out.push({ symbol, date: isoDate(dayStart), dayStart, file, part });
  }
  return out.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.symbol < b.symbol ? -1 : a.symbol > b.symbol ? 1 : 0));
}
