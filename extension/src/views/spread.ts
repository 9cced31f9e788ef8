import type { Data } from 'plotly.js';
import type { PairsLabModel } from '../model';
import type { Num } from '../protocol';
import type { IThemeColors } from '../plotly';
import type { Figure } from '../chart';
import { lineTrace, type IChartView } from '../decimate';
import { card, fmt } from './dom';
import { NO_DATA, TabView } from './tab';

/** Spread & Z-Score: metric cards, the z-score with its alert thresholds, the spread and the hedge ratio over time. */
export class SpreadTab extends TabView {
  constructor(model: PairsLabModel) {
    super(model, 'spread', 'Spread & Z-Score', ['series', 'controls']);
    this._cards = this.block('pl-Cards');
    this.chart('zscore', (c, v) => this.zFigure(c, v), NO_DATA, 280);
    this.chart('spread', (c, v) => this.lineFigure(v, 'spread', this.model.series?.spread, c.series[0]), NO_DATA, 240);
    this.chart('hedge-ratio', (c, v) => this.lineFigure(v, 'hedge ratio', this.model.series?.hedgeRatio, c.series[2]), NO_DATA, 220);
  }

  protected render(): void {
    const m = this.model.metrics;
    const z = m?.zScore ?? null;
    const threshold = this.model.controls.zThreshold;
    const adfP = m?.adfPValue ?? null;
    this._cards.replaceChildren(
      card('hedge-ratio', `Hedge ratio (${this.model.controls.hedge})`, fmt(m?.hedgeRatio)),
      card('r-squared', 'R²', fmt(m?.rSquared, 3)),
      card('adf-statistic', 'ADF statistic', fmt(m?.adfStatistic, 3)),
      card('adf-p', 'ADF p-value', fmt(adfP, 3), adfP === null ? undefined : adfP < 0.05 ? 'ok' : 'warn'),
      card('half-life', 'Half-life (bars)', fmt(m?.halfLifeBars, 1)),
      card('z', 'Current z', fmt(z, 2), z === null ? undefined : Math.abs(z) >= threshold ? 'alert' : Math.abs(z) >= threshold * 0.75 ? 'warn' : 'ok'),
    );
  }

  private zFigure(colors: IThemeColors, view: IChartView): Figure | null {
    const s = this.model.series;
    if (!s || s.time.length === 0) return null;
    const t = this.model.controls.zThreshold;
    const line = (y: number, dash: 'dash' | 'dot') => ({ type: 'line' as const, xref: 'paper' as const, x0: 0, x1: 1, y0: y, y1: y, line: { color: colors.threshold, width: 1, dash } });
    return {
      data: [{ name: 'z-score', ...lineTrace(s.time, s.zScore, view), line: { color: colors.series[0], width: 1 } } as Data],
      points: s.time.length,
      layout: {
        title: { text: `z-score (window ${this.model.controls.window}) with ±${t.toFixed(1)} alert lines`, font: { size: 12 } },
        xaxis: { type: 'date' },
        shapes: [line(t, 'dash'), line(-t, 'dash'), line(0, 'dot')],
        showlegend: false,
      },
    };
  }

  private lineFigure(view: IChartView, name: string, values: Num[] | undefined, color: string): Figure | null {
    const s = this.model.series;
    if (!s || !values || s.time.length === 0) return null;
    return {
      data: [{ name, ...lineTrace(s.time, values, view), line: { color, width: 1 } } as Data],
      points: s.time.length,
      layout: { title: { text: name, font: { size: 12 } }, xaxis: { type: 'date' }, showlegend: false },
    };
  }

  private _cards: HTMLDivElement;
}
