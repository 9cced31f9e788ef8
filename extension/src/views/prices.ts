import type { Data, Layout, LayoutAxis } from 'plotly.js';
import type { PairsLabModel } from '../model';
import type { BarColumns } from '../protocol';
import type { IThemeColors } from '../plotly';
import type { Figure } from '../chart';
import { el, fmt, fillTable, clockTime, timeTitle } from './dom';
import { clock } from '../clock';
import { NO_DATA, TabView, tail } from './tab';

const TABLE_ROWS = 20;

/** Panes of the price chart, top to bottom: each leg's candles over its volume. */
const PANES = [
  { leg: 'y', price: 'y', volume: 'y2', priceDomain: [0.64, 1], volumeDomain: [0.53, 0.62] },
  { leg: 'x', price: 'y3', volume: 'y4', priceDomain: [0.13, 0.49], volumeDomain: [0, 0.09] },
] as const;

/**
 * Prices & Volume: one chart of both legs' candlesticks over their volume on a shared time axis (a live refresh
 * redraws one Plotly figure, and zooming one leg zooms the other), then each leg's newest bars as a table.
 */
export class PricesTab extends TabView {
  constructor(model: PairsLabModel, private readonly candles: () => number) {
    super(model, 'prices', 'Prices & Volume', ['series']);
    this.chart('price-y', (c) => this.figure(c), NO_DATA, 600);
    this._tableY = this.block('pl-TableBlock');
    this._tableX = this.block('pl-TableBlock');
  }

  protected render(): void {
    this.renderTable(this._tableY, 'y');
    this.renderTable(this._tableX, 'x');
  }

  private figure(colors: IThemeColors): Figure | null {
    const s = this.model.series;
    if (!s || s.time.length === 0) return null;
    const n = this.candles();
    const time = tail(s.time, n);
    const { y, x } = this.model.controls;
    const data: Data[] = [];
    const axes: Partial<Layout> = {};
    const setAxis = (name: string, axis: Partial<LayoutAxis>) => {
      (axes as Record<string, Partial<LayoutAxis>>)[name === 'y' ? 'yaxis' : `yaxis${name.slice(1)}`] = axis;
    };
    for (const pane of PANES) {
      const bars = s[pane.leg];
      const symbol = pane.leg === 'y' ? y : x;
      data.push({
        type: 'candlestick', name: symbol, x: time, xaxis: 'x', yaxis: pane.price,
        open: tail(bars.open, n), high: tail(bars.high, n), low: tail(bars.low, n), close: tail(bars.close, n),
        increasing: { line: { color: colors.up } }, decreasing: { line: { color: colors.down } },
      } as Data, {
        type: 'bar', name: `${symbol} volume`, x: time, y: tail(bars.volume, n), xaxis: 'x', yaxis: pane.volume,
        marker: { color: colors.series[3], opacity: 0.5 }, showlegend: false,
      } as Data);
      setAxis(pane.price, { domain: [pane.priceDomain[0], pane.priceDomain[1]], anchor: 'x', title: { text: `${symbol} price`, font: { size: 10 }, standoff: 4 } });
      setAxis(pane.volume, { domain: [pane.volumeDomain[0], pane.volumeDomain[1]], anchor: 'x', title: { text: 'volume', font: { size: 10 }, standoff: 4 } });
    }
    return {
      data,
      layout: {
        title: { text: `${y} · ${this.model.controls.timeframe} (top) and ${x} (bottom) · newest ${time.length} bars (${clock.label})`, font: { size: 12 } },
        showlegend: false,
        // the time axis under the lowest volume, so its labels and title sit on no bars
        xaxis: { type: 'date', rangeslider: { visible: false }, anchor: 'y4' },
        ...axes,
      },
    };
  }

  private renderTable(node: HTMLElement, leg: 'y' | 'x'): void {
    const s = this.model.series;
    const symbol = leg === 'y' ? this.model.controls.y : this.model.controls.x;
    if (!s || s.time.length === 0) {
      node.replaceChildren();
      return;
    }
    const bars: BarColumns = s[leg];
    const rows: number[] = [];
    for (let i = s.time.length - 1; i >= Math.max(0, s.time.length - TABLE_ROWS); i--) rows.push(i);
    if (node.childElementCount !== 2) node.replaceChildren(el('h4'), el('div', { class: 'pl-TableHolder' }));
    const [heading, holder] = [node.children[0] as HTMLElement, node.children[1] as HTMLElement];
    heading.textContent = `${symbol}: newest ${rows.length} bars`;
    fillTable<number>(holder, [
      { title: timeTitle(), value: (i) => clockTime(s.time[i]) },
      { title: 'open', value: (i) => fmt(bars.open[i]), numeric: true },
      { title: 'high', value: (i) => fmt(bars.high[i]), numeric: true },
      { title: 'low', value: (i) => fmt(bars.low[i]), numeric: true },
      { title: 'close', value: (i) => fmt(bars.close[i]), numeric: true },
      { title: 'volume', value: (i) => fmt(bars.volume[i]), numeric: true },
      { title: '', value: (i) => (bars.filled[i] ? 'carried' : '') },
    ], rows);
    node.dataset.leg = leg;
  }

  private _tableY: HTMLDivElement;
  private _tableX: HTMLDivElement;
}
