// The panel's watchlist: one Watchlist on the panel's bar settings (reopened when they change, from the list the
// store keeps), refreshed on each request; replies carry every row in full, or only what changed since the reply
// the client last applied (changed fields, the sparkline from its first changed bar, the alerts fired since).
import { parseTimeframe } from '../../../src/store';
import type { PanelRequest, WatchlistData, WatchRowData } from '../protocol';
import type { Lab } from '../session/lab';
import type { Watchlist, WatchRow } from '../watchlist/watchlist';
import { alertRow } from './replies';
import { RequestError } from './schema';

type WatchlistRequest = Extract<PanelRequest, { kind: 'watchlist' }>;

/** Alerts kept for incremental replies. */
const KEPT_ALERTS = 1000;

/** A table value to 6 significant digits: what the rows show, in fewer bytes per refresh. */
const shown = (v: number | null): number | null => (v === null ? null : Number(v.toPrecision(6)));

function rowData(r: WatchRow, tf: number): WatchRowData {
  const n = r.zHistory.length;
  return {
    pair: r.pair, y: r.y, x: r.x, status: r.status, bars: r.bars, lastTime: r.lastTime, zScore: shown(r.zScore),
    zTail: r.zHistory.map(shown), zTailFrom: n && r.lastTime !== null ? r.lastTime - (n - 1) * tf : null,
    hedgeRatio: shown(r.hedgeRatio), halfLifeBars: shown(r.halfLifeBars), correlation: shown(r.correlation), spread: shown(r.spread),
    stabilityP: shown(r.stability.pValue), stabilityCheckedAt: r.stability.checkedAt, stableSince: r.stability.belowSince,
    lastAlert: r.lastAlert ? alertRow(r.lastAlert) : null, alertCount: r.alertCount,
  };
}

/** The fields of `now` that differ from `before`, with the sparkline from its first new or changed value (without `zTailFrom`). */
function changedFields(before: WatchRowData, now: WatchRowData, tf: number): Partial<WatchRowData> & { pair: string } {
  const out: Partial<WatchRowData> & { pair: string } = { pair: now.pair };
  for (const key of Object.keys(now) as Array<keyof WatchRowData>) {
    if (key === 'zTail' || key === 'zTailFrom') continue;
    if (JSON.stringify(before[key]) !== JSON.stringify(now[key])) (out as Record<string, unknown>)[key] = now[key];
  }
  // the tail ends at the row's lastTime, so where it starts needs no field of its own
  const first = firstChange(before, now, tf);
  if (first !== null) out.zTail = now.zTail.slice(first);
  return out;
}

/** Index in `now.zTail` of the first value the client's copy (`before`) lacks or has otherwise; null when none. */
function firstChange(before: WatchRowData, now: WatchRowData, tf: number): number | null {
  if (now.zTailFrom === null) return null;
  for (let j = 0; j < now.zTail.length; j++) {
    const t: number = now.zTailFrom + j * tf;
    const k = before.zTailFrom === null ? -1 : Math.round((t - before.zTailFrom) / tf);
    if (k < 0 || k >= before.zTail.length || before.zTail[k] !== now.zTail[j]) return j;
  }
  return null;
}

export class PanelWatchlist {
  private list: Watchlist | null = null;
  private key = '';
  private seq = 0;
  /** The rows the last reply left the client with, and that reply's seq. */
  private sent = new Map<string, WatchRowData>();
  private sentSeq = -1;
  private readonly fired: Array<{ seq: number; row: ReturnType<typeof alertRow> }> = [];

  constructor(private readonly lab: Lab) {}

  /** Whether `pair` (`Y/X`) is watched: its alerts are logged by the watchlist. */
  watches(pair: string): boolean {
    return this.list?.view(pair) !== undefined;
  }

  async answer(req: WatchlistRequest): Promise<{ data: WatchlistData; seq: number }> {
    req.add?.forEach((p, i) => {
      if (p.y === p.x) throw new RequestError(`add[${i}].x must differ from y (both are ${p.y})`, `add[${i}].x`);
    });
    const settings = { timeframe: req.timeframe, window: req.window, hedge: req.hedge, hedgeWindow: req.hedgeWindow, minVolume: req.minVolume, alerts: req.alerts };
    const key = JSON.stringify(settings);
    let fresh = false;
    if (!this.list || key !== this.key) {
      this.list = await this.lab.watchlist(undefined, settings);
      this.key = key;
      this.sent.clear();
      fresh = true;
    }
    const list = this.list;
    if (req.remove) list.remove(...req.remove);
    if (req.add) {
      await list.add(...req.add.filter((p) => !list.pairs.some((q) => [q.y, q.x].sort().join('/') === [p.y, p.x].sort().join('/'))));
    }
    if (!fresh) {
      const r = await list.refresh();
      for (const a of r.alerts) this.fired.push({ seq: this.seq + 1, row: alertRow(a) });
      if (this.fired.length > KEPT_ALERTS) this.fired.splice(0, this.fired.length - KEPT_ALERTS);
    }
    const seq = ++this.seq;
    const tf = parseTimeframe(list.options.timeframe);
    const rows = list.rows.map((r) => rowData(r, tf));
    const incremental = !fresh && req.sinceSeq !== undefined && req.sinceSeq === this.sentSeq;
    const since = req.sinceSeq ?? seq;
    const data: WatchlistData = {
      full: !incremental,
      timeframe: list.options.timeframe,
      sparkBars: list.options.sparkBars,
      stabilityWindow: list.options.stability.window,
      stabilityEvery: list.options.stability.every,
      pairs: rows.map((r) => r.pair),
      rows: incremental ? rows.map((r) => (this.sent.has(r.pair) ? changedFields(this.sent.get(r.pair) as WatchRowData, r, tf) : r)) : rows,
      alerts: incremental ? this.fired.filter((f) => f.seq > since).map((f) => f.row).reverse() : [],
    };
    this.sent = new Map(rows.map((r) => [r.pair, r]));
    this.sentSeq = seq;
    return { data, seq };
  }
}
