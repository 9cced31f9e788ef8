import { clock } from '../clock';
import type { PairsLabModel } from '../model';
import type { WatchRowData } from '../protocol';
import { button, clockTime, duration, el, fmt, renderMessage, select, setOptions, timeTitle } from './dom';
import { watchTestWaiting, watchZWaiting, warmupOf } from './warmup';
import { TabView } from './tab';

type SortKey = 'pair' | 'absZ' | 'hedgeRatio' | 'halfLifeBars' | 'stabilityP' | 'stableFor' | 'lastAlert' | 'bars' | 'status';

interface IColumn {
  key: SortKey | null;
  title: string;
  help: string;
  numeric?: boolean;
}

const COLUMNS: IColumn[] = [
  { key: 'pair', title: 'Pair', help: 'Y / X: y is regressed on x' },
  { key: null, title: 'z (recent)', help: 'The newest z-scores, with the alert threshold' },
  { key: 'absZ', title: 'z', help: 'Current z-score of the spread (sorts by |z|)', numeric: true },
  { key: 'hedgeRatio', title: 'hedge ratio', help: 'Current hedge ratio β', numeric: true },
  { key: 'halfLifeBars', title: 'half-life', help: 'Mean-reversion half-life of the spread, bars', numeric: true },
  { key: 'stabilityP', title: 'coint p', help: 'Engle-Granger p-value over the trailing stability window', numeric: true },
  { key: 'stableFor', title: 'below 0.05 for', help: 'How long the rolling cointegration p-value has stayed below 0.05', numeric: true },
  { key: 'lastAlert', title: 'last alert', help: 'The newest alert this pair fired since the watchlist opened (time on the panel\'s clock)' },
  { key: 'bars', title: 'bars', help: 'Bars the pair holds', numeric: true },
  { key: 'status', title: 'status', help: 'live, stale (no new bar lately), or what a young pair\'s z-score waits for' },
  { key: null, title: '', help: '' },
];

const STATUS_TEXT: Record<WatchRowData['status'], string> = { waiting: 'waiting for bars', live: 'live', stale: 'stale' };

function sortValue(r: WatchRowData, key: SortKey): number | string {
  switch (key) {
    case 'pair': return r.pair;
    case 'absZ': return r.zScore === null ? -Infinity : Math.abs(r.zScore);
    case 'stableFor': return r.stableSince === null || r.stabilityCheckedAt === null ? -Infinity : r.stabilityCheckedAt - r.stableSince;
    case 'lastAlert': return r.lastAlert?.time ?? -Infinity;
    case 'status': return r.status;
    default: return r[key] ?? -Infinity;
  }
}

/** An inline SVG line of the z-scores, with the ± threshold and the zero line; a gap where a value is undefined. */
function sparkline(values: Array<number | null>, threshold: number): SVGSVGElement {
  const ns = 'http://www.w3.org/2000/svg';
  const w = 120;
  const h = 24;
  const svg = document.createElementNS(ns, 'svg');
  svg.setAttribute('class', 'pl-Sparkline');
  svg.setAttribute('viewBox', `0 0 ${w} ${h}`);
  svg.setAttribute('width', String(w));
  svg.setAttribute('height', String(h));
  const finite = values.filter((v): v is number => v !== null);
  const span = Math.max(threshold * 1.2, ...finite.map(Math.abs), 1e-9);
  const yOf = (v: number) => h / 2 - (v / span) * (h / 2 - 1);
  const hline = (v: number, cls: string) => {
    const l = document.createElementNS(ns, 'line');
    l.setAttribute('x1', '0');
    l.setAttribute('x2', String(w));
    l.setAttribute('y1', yOf(v).toFixed(1));
    l.setAttribute('y2', yOf(v).toFixed(1));
    l.setAttribute('class', cls);
    svg.append(l);
  };
  hline(0, 'pl-Sparkline-zero');
  hline(threshold, 'pl-Sparkline-band');
  hline(-threshold, 'pl-Sparkline-band');
  const step = values.length > 1 ? w / (values.length - 1) : 0;
  let run: string[] = [];
  const flush = () => {
    if (run.length > 1) {
      const p = document.createElementNS(ns, 'polyline');
      p.setAttribute('points', run.join(' '));
      p.setAttribute('class', 'pl-Sparkline-line');
      svg.append(p);
    }
    run = [];
  };
  values.forEach((v, i) => {
    if (v === null) flush();
    else run.push(`${(i * step).toFixed(1)},${yOf(v).toFixed(1)}`);
  });
  flush();
  svg.dataset.points = String(finite.length);
  return svg;
}

/**
 * Watchlist: every watched pair in one table, refreshed with the panel; sortable by any column, a click opens the
 * pair in the other tabs, a row flashes when its pair fires an alert. Pairs are added and removed here.
 */
export class WatchlistTab extends TabView {
  constructor(
    model: PairsLabModel,
    private readonly actions: { openPair(y: string, x: string): void; add(y: string, x: string): void; remove(pair: string): void },
  ) {
    super(model, 'watchlist', 'Watchlist', ['watchlist', 'config', 'message', 'controls']);
    const bar = this.block('pl-Toolbar');
    this._y = select([], '');
    this._x = select([], '');
    this._y.dataset.control = 'watch-y';
    this._x.dataset.control = 'watch-x';
    this._y.setAttribute('aria-label', 'Y symbol of the pair to watch');
    this._x.setAttribute('aria-label', 'X symbol of the pair to watch');
    const add = button('Watch pair', 'watch-add', 'Add this pair to the watchlist (kept in the store)');
    add.addEventListener('click', () => this.add());
    bar.append(el('span', { class: 'pl-Toolbar-label' }, 'Add'), this._y, el('span', {}, '/'), this._x, add,
      el('span', { class: 'pl-Hint' }, 'Every watched pair is refreshed and alerted on each refresh, on screen or not. Click a row to open the pair; click a heading to sort.'));
    this._message = this.block('pl-Message');
    this._message.dataset.message = 'watchlist';
    this._table = this.block('pl-TableBlock pl-mod-scroll');
  }

  protected render(): void {
    renderMessage(this._message, this.model.message('watchlist'));
    const universe = this.model.config?.universe ?? [];
    const options = universe.map((s): [string, string] => [s, s]);
    if (this._universeKey !== universe.join(',')) {
      this._universeKey = universe.join(',');
      setOptions(this._y, options, universe[0] ?? '');
      setOptions(this._x, options, universe[1] ?? '');
    }
    const w = this.model.watchlist;
    if (!w) {
      this._table.replaceChildren(el('p', { 'data-empty': 'watchlist' }, 'Loading the watchlist: it starts with the universe\'s best-ranked pairs, or the pairs this store keeps.'));
      return;
    }
    const rows = w.pairs.map((p) => w.rows.get(p)).filter((r): r is WatchRowData => r !== undefined);
    if (rows.length === 0) {
      this._table.replaceChildren(el('p', { 'data-empty': 'watchlist' }, 'No pairs watched. Add a pair above.'));
      return;
    }
    const { key, dir } = this._sort;
    if (key) {
      rows.sort((a, b) => {
        const va = sortValue(a, key);
        const vb = sortValue(b, key);
        const c = typeof va === 'string' || typeof vb === 'string' ? String(va).localeCompare(String(vb)) : va - vb;
        return dir * c || a.pair.localeCompare(b.pair);
      });
    }
    const threshold = this.model.controls.zThreshold;
    const head = el('thead', {}, el('tr', {}, ...COLUMNS.map((c) => {
      const title = c.key === 'lastAlert' ? timeTitle(c.title) : c.title;
      const th = el('th', { class: c.numeric ? 'pl-num' : '', title: c.help }, title + (c.key && c.key === key ? (dir > 0 ? ' ▲' : ' ▼') : ''));
      if (c.key) {
        const k = c.key;
        th.classList.add('pl-mod-sortable');
        th.dataset.sort = k;
        th.tabIndex = 0;
        const sort = () => {
          this._sort = { key: k, dir: this._sort.key === k ? -this._sort.dir : k === 'pair' || k === 'status' ? 1 : -1 };
          this.render();
        };
        th.addEventListener('click', sort);
        th.addEventListener('keydown', (e) => { if (e.key === 'Enter') sort(); });
      }
      return th;
    })));
    const body = el('tbody');
    let flashed = 0;
    for (const r of rows) {
      const seen = this._alertCounts.get(r.pair);
      const flash = seen !== undefined && r.alertCount > seen;
      this._alertCounts.set(r.pair, r.alertCount);
      const z = r.zScore;
      const zState = z === null ? '' : Math.abs(z) >= threshold ? 'pl-mod-alert' : Math.abs(z) >= 0.75 * threshold ? 'pl-mod-warn' : '';
      const remove = button('✕', 'watch-remove', `Stop watching ${r.pair}`);
      remove.classList.add('pl-mod-minimal');
      remove.addEventListener('click', (e) => {
        e.stopPropagation();
        this.actions.remove(r.pair);
      });
      const stableFor = r.stableSince !== null && r.stabilityCheckedAt !== null ? duration(r.stabilityCheckedAt - r.stableSince) : '—';
      const tr = el('tr', { class: 'pl-mod-clickable', 'data-pair': r.pair, 'data-status': r.status, 'data-alert-count': r.alertCount },
        el('td', {}, r.pair),
        el('td', { class: 'pl-Sparkline-cell' }, sparkline(r.zTail, threshold)),
        el('td', { class: `pl-num ${zState}`, 'data-cell': 'z' }, fmt(z, 2)),
        el('td', { class: 'pl-num' }, fmt(r.hedgeRatio)),
        el('td', { class: 'pl-num' }, fmt(r.halfLifeBars, 1)),
        ...this.stabilityCells(r, w, stableFor),
        el('td', { title: r.lastAlert?.message ?? '' }, r.lastAlert ? `${clockTime(r.lastAlert.time).slice(11)} ${r.lastAlert.rule}` : '—'),
        el('td', { class: 'pl-num' }, String(r.bars)),
        el('td', { class: `pl-Status pl-mod-${r.status}`, 'data-cell': 'status' }, this.statusText(r)),
        el('td', {}, remove));
      tr.tabIndex = 0;
      const open = () => this.actions.openPair(r.y, r.x);
      tr.addEventListener('click', open);
      tr.addEventListener('keydown', (e) => { if (e.key === 'Enter') open(); });
      if (flash) {
        tr.classList.add('pl-mod-flash');
        flashed++;
      }
      body.append(tr);
    }
    if (flashed) this.node.dataset.flashes = String(Number(this.node.dataset.flashes ?? 0) + flashed);
    const table = el('table', { class: 'pl-Table pl-Watchlist', 'data-sort': key ? `${key}:${dir > 0 ? 'asc' : 'desc'}` : '' }, head, body);
    this._table.replaceChildren(el('h4', {}, `${rows.length} pairs on ${w.timeframe} bars`), table);
  }

  /** The status; a waiting row says what it waits for ("z: 12 of 119 bars, about 2 min"). */
  private statusText(r: WatchRowData): string {
    if (r.status !== 'waiting') return STATUS_TEXT[r.status];
    return watchZWaiting({ ...warmupOf(this.model), bars: r.bars }) || STATUS_TEXT.waiting;
  }

  /** "coint p" and "below 0.05 for"; before a row's first test one cell across both says when it comes. */
  private stabilityCells(r: WatchRowData, w: NonNullable<PairsLabModel['watchlist']>, stableFor: string): HTMLTableCellElement[] {
    if (r.stabilityCheckedAt === null) {
      const text = watchTestWaiting(r.bars, w.stabilityWindow, w.stabilityEvery, w.timeframe);
      return [el('td', { class: 'pl-Waiting', colSpan: 2, 'data-cell': 'stability-waiting', title: `The Engle-Granger test runs on the last ${w.stabilityWindow} bars, every ${w.stabilityEvery} bars` }, text)];
    }
    return [
      el('td', { class: `pl-num ${r.stabilityP !== null && r.stabilityP < 0.05 ? 'pl-mod-ok' : ''}`, title: `tested at ${clockTime(r.stabilityCheckedAt)} ${clock.label} on the last ${w.stabilityWindow} bars` }, fmt(r.stabilityP, 3)),
      el('td', { class: 'pl-num', title: r.stableSince !== null ? `below 0.05 in every test since ${clockTime(r.stableSince)} ${clock.label}` : '' }, stableFor),
    ];
  }

  private add(): void {
    const y = this._y.value;
    const x = this._x.value;
    if (!y || !x) return;
    if (y === x) {
      this.model.setMessage('watchlist', { level: 'error', text: `A pair needs two different symbols; both are ${y}. Pick another X.` });
      return;
    }
    this.actions.add(y, x);
  }

  private _y: HTMLSelectElement;
  private _x: HTMLSelectElement;
  private _universeKey = '';
  private _message: HTMLDivElement;
  private _table: HTMLDivElement;
  private _sort: { key: SortKey | null; dir: number } = { key: null, dir: 1 };
  /** Each pair's alert count at the last render: a higher count flashes its row. */
  private readonly _alertCounts = new Map<string, number>();
}

