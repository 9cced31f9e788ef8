import type { Data } from 'plotly.js';
import type { PairsLabModel } from '../model';
import type { BarColumns } from '../protocol';
import type { IThemeColors } from '../plotly';
import type { Figure } from '../chart';
import { el, fmt, fillTable, clockTime, timeTitle } from './dom';
import { clock } from '../clock';
import { NO_DATA, TabView, tail } from './tab';

const TABLE_ROWS = 20;

/** Prices & Volume: candlesticks with volume for both legs, and their newest bars as tables. */
export class PricesTab extends TabView {
  constructor(model: PairsLabModel, private readonly candles: () => number) {
    super(model, 'prices', 'Prices & Volume', ['series']);
    this.chart('price-y', (c) => this.figure('y', c), NO_DATA, 300);
    this._tableY = this.block('pl-TableBlock');
    this.chart('price-x', (c) => this.figure('x', c), NO_DATA, 300);
    this._tableX = this.block('pl-TableBlock');
  }

  protected render(): void {
    this.renderTable(this._tableY, 'y');
    this.renderTable(this._tableX, 'x');
  }

  private figure(leg: 'y' | 'x', colors: IThemeColors): Figure | null {
    const s = this.model.series;
    if (!s || s.time.length === 0) return null;
    const n = this.candles();
    const time = tail(s.time, n);
    const bars = s[leg];
    const symbol = leg === 'y' ? this.model.controls.y : this.model.controls.x;
    const data: Data[] = [
      {
        type: 'candlestick', name: symbol, x: time,
        open: tail(bars.open, n), high: tail(bars.high, n), low: tail(bars.low, n), close: tail(bars.close, n),
        increasing: { line: { color: colors.up } }, decreasing: { line: { color: colors.down } },
        yaxis: 'y',
      } as Data,
      // One filled path stepping at the candles' midpoints rather than a bar per candle: Plotly styles each bar on
      // its own, which cost a live refresh as much as the candles did.
      {
        type: 'scatter', mode: 'lines', name: 'volume', x: time, y: tail(bars.volume, n), yaxis: 'y2',
        line: { shape: 'hvh', width: 1, color: colors.series[3] }, fill: 'tozeroy', fillcolor: colors.series[3], opacity: 0.5,
        hovertemplate: 'volume %{y}<extra></extra>', showlegend: false,
      } as Data,
    ];
    return {
      data,
      layout: {
        title: { text: `${symbol} · ${this.model.controls.timeframe} · newest ${time.length} bars (${clock.label})`, font: { size: 12 } },
        showlegend: false,
        // the time axis under the volume, so its labels and title do not sit on the volume bars
        xaxis: { type: 'date', rangeslider: { visible: false }, anchor: 'y2' },
        yaxis: { domain: [0.28, 1], title: { text: 'price' } },
        yaxis2: { domain: [0, 0.22], title: { text: 'volume' } },
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
    ], rows, (i) => String(s.time[i]));
    node.dataset.leg = leg;
  }

  private _tableY: HTMLDivElement;
  private _tableX: HTMLDivElement;
}
