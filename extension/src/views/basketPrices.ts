import type { Data } from 'plotly.js';
import type { PairsLabModel } from '../model';
import type { Num } from '../protocol';
import type { IThemeColors } from '../plotly';
import type { Figure } from '../chart';
import { lineTrace, type IChartView } from '../decimate';
import { BasketTabView } from './basketTab';

/** Closes divided by the first defined close, so legs of any price level share one axis (1 = the first bar). */
export function normalised(close: Num[]): Num[] {
  const first = close.find((v): v is number => v !== null && v !== 0);
  return first === undefined ? close.map(() => null) : close.map((v) => (v === null ? null : v / first));
}

/** Prices of a basket: every leg's close, normalised to its first bar shown. */
export class BasketPricesTab extends BasketTabView {
  constructor(model: PairsLabModel) {
    super(model, 'prices', 'Prices & Volume');
    this.basketChart('basket-prices', (c, v) => this.figure(c, v), 360);
  }

  protected render(): void {
    // the chart is the whole tab
  }

  private figure(colors: IThemeColors, view: IChartView): Figure | null {
    const b = this.view();
    if (!b || b.time.length === 0) return null;
    // the theme has four series colours; legs five and six take its up and down colours
    const palette = [...colors.series, colors.up, colors.down];
    const data = b.legs.map((leg, i) => ({
      name: leg, ...lineTrace(b.time, normalised(b.close[i]), view), line: { color: palette[i % palette.length], width: 1 },
    } as Data));
    return {
      data,
      points: b.bars,
      layout: {
        title: { text: `${b.legs.join(' / ')} closes · ${b.timeframe} · normalised to the first bar shown (= 1)`, font: { size: 12 } },
        xaxis: { type: 'date' }, showlegend: true, legend: { orientation: 'h' },
      },
    };
  }
}
