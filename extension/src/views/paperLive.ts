import type { Data } from 'plotly.js';
import type { PairsLabModel } from '../model';
import type { PaperBookData, PaperOrderRow, PaperTradeRow } from '../protocol';
import type { IThemeColors } from '../plotly';
import type { Figure } from '../chart';
import { lineTrace, type IChartView } from '../decimate';
import { button, clockTime, el, fmt, renderMessage, table, timeTitle } from './dom';

export interface IPaperActions {
  start(): void;
  stop(): void;
}

const STATE_TEXT: Record<PaperBookData['state'], string> = {
  here: 'trading in this kernel',
  elsewhere: 'traded by another process (shown from its journal)',
  stopped: 'stopped',
};

/** The book of the pair on screen: its default name, as the kernel gives it. */
export function bookNameOf(model: PairsLabModel): string {
  const c = model.controls;
  return `${c.y}-${c.x}-${c.timeframe}`;
}

/** The Backtest tab's Live section: start and stop the pair's paper book, its position, P&L, orders and trades. */
export class PaperLive {
  constructor(private readonly model: PairsLabModel, private readonly holder: HTMLDivElement, actions: IPaperActions) {
    this._start = button('Start paper trading', 'start-paper', 'Run the strategy above on the live feed, in a book kept in the store');
    this._stop = button('Stop paper trading', 'stop-paper', 'End the book: no more orders (its journal stays in the store)');
    this._start.addEventListener('click', () => actions.start());
    this._stop.addEventListener('click', () => actions.stop());
    this._message = el('div', { class: 'pl-Message', 'data-message': 'paper' });
    this._body = el('div', {});
    holder.append(
      el('h4', {}, 'Live: paper trading'),
      el('p', { class: 'pl-Hint' }, 'The strategy above on the live feed: it decides on each bar both legs have closed, fills at the recorded bid/ask standing then, and pays fees and funding. The book is kept in the store and resumes after a kernel restart.'),
      el('div', { class: 'pl-Form' }, this._start, this._stop),
      this._message,
      this._body,
    );
  }

  /** The pair's book in the last report, or null. */
  book(): PaperBookData | null {
    const name = bookNameOf(this.model);
    return this.model.paper?.books.find((b) => b.name === name) ?? null;
  }

  render(): void {
    renderMessage(this._message, this.model.message('paper'));
    const b = this.book();
    const h = this.holder.dataset;
    this._stop.disabled = b === null || b.state !== 'here';
    // a book reads its first bars when it starts: before the pair has any there is nothing to start from
    const noBars = this.model.bars === 0;
    this._start.disabled = (b !== null && b.state === 'here') || noBars;
    this._start.title = noBars ? 'Waiting for the first bars of this pair' : 'Run the strategy above on the live feed, in a book kept in the store';
    if (b === null) {
      h.paperState = 'none';
      delete h.paperTrades;
      delete h.paperEquity;
      delete h.paperPosition;
      this._body.replaceChildren(el('p', {}, `No paper book for ${this.model.controls.y}/${this.model.controls.x} ${this.model.controls.timeframe} yet.`), ...this.others());
      return;
    }
    h.paperState = b.state;
    h.paperTrades = String(b.closedTrades);
    h.paperOrders = String(b.orders.length);
    h.paperEquity = b.equity === null ? '' : b.equity.toFixed(2);
    h.paperPosition = b.position?.side ?? 'flat';
    const pnl = b.equity === null ? null : b.equity - b.capital;
    const status = [
      `Book ${b.name}: ${STATE_TEXT[b.state]}; entry |z| ${fmt(b.entry, 2)}, exit ${fmt(b.exit, 2)}${b.stop === null ? '' : `, stop ${fmt(b.stop, 2)}`}.`,
      `Decides from the close of the bar at ${clockTime(b.startAt)}${b.closedUntil === null ? '' : `; bars taken up to ${clockTime(b.closedUntil)}`}.`,
    ].join(' ');
    const position = b.position === null ? 'flat' : `${b.position.side} the spread since ${clockTime(b.position.entryTime)}: ${fmt(b.position.qtyY)} ${b.y} at ${fmt(b.position.entryY)}, ${fmt(b.position.qtyX)} ${b.x} at ${fmt(b.position.entryX)}`;
    const rows: Array<[string, string]> = [
      ['Position', position], ['Equity', fmt(b.equity, 2)], ['P&L', fmt(pnl, 2)], ['Realized (closed trades and costs so far)', fmt(b.realized, 2)],
      ['Fees', fmt(b.fees, 2)], ['Spread crossed', fmt(b.spreadCost, 2)], ['Slippage (fills without a quote)', fmt(b.slippage, 2)],
      ['Funding received (negative: paid)', fmt(b.funding, 2)], ['Closed trades', String(b.closedTrades)],
    ];
    this._body.replaceChildren(
      el('p', { class: 'pl-RunNote', 'data-paper': 'status' }, status),
      ...(b.diverged ? [el('p', { class: 'pl-Notice', 'data-warning': 'paper-diverged' }, `The book stopped following the rule: ${b.diverged}.`)] : []),
      ...(b.error ? [el('p', { class: 'pl-Notice', 'data-warning': 'paper-error' }, `The last step failed (it is retried): ${b.error}`)] : []),
      ...(b.waiting ? [el('p', { class: 'pl-Hint', 'data-paper': 'waiting' }, `Waiting: ${b.waiting}.`)] : []),
      table<[string, string]>([{ title: 'book', value: (r) => r[0] }, { title: 'value', value: (r) => r[1], numeric: true }], rows),
      el('h4', {}, `Orders, newest first (${b.orders.length})`),
      table<PaperOrderRow>([
        { title: timeTitle('decided'), value: (o) => clockTime(o.time) },
        { title: 'order', value: (o) => `${o.action} ${o.side}` },
        { title: 'z', value: (o) => fmt(o.z, 3), numeric: true },
        { title: 'reason', value: (o) => o.reason ?? '' },
        { title: 'filled', value: (o) => (o.filledAt === null ? 'waiting for the quotes' : clockTime(o.filledAt)) },
      ], b.orders),
      el('h4', {}, `Trades, newest first (${b.trades.length})`),
      table<PaperTradeRow>([
        { title: timeTitle('entry'), value: (t) => clockTime(t.entryTime) },
        { title: timeTitle('exit'), value: (t) => (t.exitTime === null ? 'open' : clockTime(t.exitTime)) },
        { title: 'side', value: (t) => t.side },
        { title: 'fees', value: (t) => fmt(t.fees, 2), numeric: true },
        { title: 'spread', value: (t) => fmt(t.spreadCost, 2), numeric: true },
        { title: 'funding', value: (t) => fmt(t.funding, 2), numeric: true },
        { title: 'P&L', value: (t) => (t.exitTime === null ? '' : fmt(t.pnl, 2)), numeric: true },
        { title: 'exit reason', value: (t) => t.exitReason ?? '' },
      ], b.trades),
      ...this.others(),
    );
  }

  /** The store's other books, one line each. */
  private others(): HTMLElement[] {
    const name = bookNameOf(this.model);
    const rest = this.model.paper?.books.filter((b) => b.name !== name) ?? [];
    if (rest.length === 0) return [];
    return [el('h4', {}, 'Other paper books in this store'), table<PaperBookData>([
      { title: 'book', value: (b) => b.name },
      { title: 'state', value: (b) => b.state },
      { title: 'position', value: (b) => b.position?.side ?? 'flat' },
      { title: 'P&L', value: (b) => fmt(b.equity === null ? null : b.equity - b.capital, 2), numeric: true },
      { title: 'closed trades', value: (b) => String(b.closedTrades), numeric: true },
    ], rest)];
  }

  equityFigure(colors: IThemeColors, view: IChartView): Figure | null {
    const b = this.book();
    if (!b || b.curve.time.length === 0) return null;
    return {
      data: [{ name: 'paper equity', ...lineTrace(b.curve.time, b.curve.equity, view), line: { color: colors.series[1] ?? colors.series[0], width: 1.2 } } as Data],
      points: b.curve.time.length,
      layout: { title: { text: `paper book equity at each closed bar (${b.name})`, font: { size: 12 } }, xaxis: { type: 'date' }, showlegend: false },
    };
  }

  private readonly _start: HTMLButtonElement;
  private readonly _stop: HTMLButtonElement;
  private readonly _message: HTMLDivElement;
  private readonly _body: HTMLDivElement;
}
