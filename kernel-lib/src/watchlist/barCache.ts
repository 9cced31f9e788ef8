// The watchlist's bars: every watched symbol's bars (empty buckets not filled) over its newest `keepBars` buckets,
// caught up for all symbols in one store query per refresh, and served to the watchlist's pair views exactly as the
// store would serve them. A request the cache cannot answer from what it holds goes to the store.
import {
  type BarSeries, type BarSource, type LatestBarsQuery, type PairBars, type PairBarsQuery, type StoreReader, parseTimeframe,
} from '../../../src/store';
import { alignPair, applyPolicy } from '../../../src/store/bar-grid';
import type { PairBarSource } from '../analysis/pairView';
import { lowerBound } from '../analysis/sorted';

/** Buckets re-read before each symbol's newest on refresh: late trades still change recent buckets (as in a pair view). */
const OVERLAP_BUCKETS = 30;

export interface BarCacheSettings {
  timeframe: string;
  minVolume: number;
  source: BarSource;
  /** Buckets held per symbol (the newest). */
  keepBars: number;
}

interface Held {
  series: BarSeries;
  /** Every bar of the symbol at or after this bucket start is held. */
  coveredFrom: number;
}

export class SymbolBarCache implements PairBarSource {
  readonly timeframeMs: number;
  private readonly held = new Map<string, Held>();

  constructor(private readonly reader: StoreReader, readonly settings: BarCacheSettings) {
    this.timeframeMs = parseTimeframe(settings.timeframe);
  }

  /** Catches up every symbol of `symbols` (and forgets the others) in one query. */
  async refresh(symbols: Iterable<string>): Promise<void> {
    const wanted = new Set(symbols);
    for (const s of [...this.held.keys()]) if (!wanted.has(s)) this.held.delete(s);
    const tf = this.timeframeMs;
    const from = new Map<string, number>();
    const unseen = [...wanted].filter((s) => !this.held.get(s)?.series.time.length);
    const ranges = unseen.length ? await this.reader.timeRanges() : new Map<string, { first: number; last: number }>();
    for (const symbol of wanted) {
      const h = this.held.get(symbol);
      const n = h?.series.time.length ?? 0;
      if (h && n) from.set(symbol, Math.max(h.coveredFrom, h.series.time[n - 1] - OVERLAP_BUCKETS * tf));
      else {
        const last = ranges.get(symbol)?.last;
        // a symbol with no data yet: ask from its first possible bucket, so whatever arrives is held
        from.set(symbol, last === undefined ? 0 : Math.floor(last / tf) * tf - (this.settings.keepBars - 1) * tf);
      }
    }
    if (from.size === 0) return;
    const fresh = await this.reader.symbolsBars({ timeframe: this.settings.timeframe, from, minVolume: this.settings.minVolume || undefined, source: this.settings.source });
    for (const [symbol, start] of from) {
      const chunk = fresh.get(symbol);
      if (!chunk) continue;
      const h = this.held.get(symbol);
      const kept = h && h.series.time.length ? slice(h.series, -Infinity, start) : null;
      const series = kept ? concat(kept, chunk) : chunk;
      const n = series.time.length;
      const newest = n ? series.time[n - 1] : start;
      const floor = Math.max(h?.coveredFrom ?? start, newest - (this.settings.keepBars - 1) * tf);
      this.held.set(symbol, { series: n && series.time[0] < floor ? slice(series, floor, Infinity) : series, coveredFrom: floor });
    }
  }

  /** Bars held of one symbol. */
  heldBars(symbol: string): number {
    return this.held.get(symbol)?.series.time.length ?? 0;
  }

  async pairBars(q: PairBarsQuery): Promise<PairBars> {
    const y = this.held.get(q.y);
    const x = this.held.get(q.x);
    const { lo, hi } = this.window(q.from, q.to);
    if (!y || !x || !this.sameSettings(q) || q.y === q.x || !(lo >= y.coveredFrom && lo >= x.coveredFrom)) return this.reader.pairBars(q);
    return alignPair(slice(y.series, lo, hi), slice(x.series, lo, hi), q.emptyBuckets ?? 'carry');
  }

  async latestBars(q: LatestBarsQuery): Promise<BarSeries> {
    const h = this.held.get(q.symbol);
    const n = h?.series.time.length ?? 0;
    // With a volume floor the newest trade's bucket may have no bar, and only the store knows where the window ends.
    if (!h || n === 0 || !this.sameSettings(q) || this.settings.minVolume > 0 || !Number.isSafeInteger(q.count) || q.count < 1) return this.reader.latestBars(q);
    const newest = h.series.time[n - 1];
    const lo = newest - (q.count - 1) * this.timeframeMs;
    if (lo < h.coveredFrom) return this.reader.latestBars(q);
    return applyPolicy(slice(h.series, lo, newest + this.timeframeMs), q.emptyBuckets ?? 'drop');
  }

  private sameSettings(q: { timeframe: string; minVolume?: number; source?: BarSource }): boolean {
    const s = this.settings;
    return parseTimeframe(q.timeframe) === this.timeframeMs && (q.minVolume ?? 0) === s.minVolume && (q.source ?? 'auto') === s.source;
  }

  /** The store's bucket window of [from, to): bucket starts rounded up to the timeframe. */
  private window(from: number | undefined, to: number | undefined): { lo: number; hi: number } {
    const tf = this.timeframeMs;
    const edge = (t: number) => Math.max(0, Math.ceil(t / tf) * tf);
    return { lo: from === undefined ? -Infinity : edge(from), hi: to === undefined ? Infinity : edge(to) };
  }
}

const FIELDS = ['time', 'open', 'high', 'low', 'close', 'volume', 'trades', 'vwap'] as const;

/** The bars of `s` whose bucket start is in [lo, hi), copied. */
function slice(s: BarSeries, lo: number, hi: number): BarSeries {
  const a = lowerBound(s.time, lo);
  const b = lowerBound(s.time, hi);
  const out = { symbol: s.symbol, timeframeMs: s.timeframeMs, filled: s.filled.slice(a, b) } as BarSeries;
  for (const f of FIELDS) out[f] = s[f].slice(a, b);
  return out;
}

function concat(a: BarSeries, b: BarSeries): BarSeries {
  const join = <T extends Float64Array | Uint8Array>(u: T, v: T, make: (n: number) => T): T => {
    const out = make(u.length + v.length);
    out.set(u);
    out.set(v, u.length);
    return out;
  };
  const out = { symbol: a.symbol, timeframeMs: a.timeframeMs, filled: join(a.filled, b.filled, (n) => new Uint8Array(n)) } as BarSeries;
  for (const f of FIELDS) out[f] = join(a[f], b[f], (n) => new Float64Array(n));
  return out;
}
