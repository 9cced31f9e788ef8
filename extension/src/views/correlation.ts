import type { Data } from 'plotly.js';
import type { PairsLabModel } from '../model';
import type { IThemeColors } from '../plotly';
import type { Figure } from '../chart';
import { lineTrace, type IChartView } from '../decimate';
import { el } from './dom';
import { NO_DATA, TabView, anyFinite } from './tab';
import { waitingText, warmupOf } from './warmup';

/** Correlation: rolling correlation of returns, and cross-correlation by lag as bars or a heat-map. */
export class CorrelationTab extends TabView {
  constructor(model: PairsLabModel) {
    super(model, 'correlation', 'Correlation', ['series', 'controls']);
    this.chart('rolling-correlation', (c, v) => this.rollingFigure(c, v), () => this.waiting(), 260);
    const bar = this.block('pl-Toolbar');
    this._mode = el('select', { class: 'jp-mod-styled', 'data-control': 'xcorr-mode' },
      el('option', { value: 'bar' }, 'bar chart'), el('option', { value: 'heatmap' }, 'heat-map'));
    bar.append(el('label', {}, 'Cross-correlation as ', this._mode));
    this._mode.addEventListener('change', () => void this.refresh());
    this.chart('cross-correlation', (c) => this.crossFigure(c), () => this.waitingForLags(), 260);
  }

  protected render(): void {
    // Everything here is a chart.
  }

  private waiting(): string {
    const st = warmupOf(this.model);
    if (st.bars === 0) return NO_DATA;
    return waitingText(st, 'correlation')
      || 'No correlation in the bars shown: a leg did not move over a whole window, or bars are missing.';
  }

  private waitingForLags(): string {
    const bars = this.model.bars;
    return bars === 0 ? NO_DATA : `Cross-correlation: needs at least 5 bars of returns, ${bars} so far.`;
  }

  private rollingFigure(colors: IThemeColors, view: IChartView): Figure | null {
    const line = this.model.line('correlation');
    if (line.x.length === 0 || !anyFinite(line.y)) return null;
    const c = this.model.controls;
    const shapes = c.correlationAlertEnabled
      ? [{ type: 'line' as const, xref: 'paper' as const, x0: 0, x1: 1, y0: c.minCorrelation, y1: c.minCorrelation, line: { color: colors.threshold, width: 1, dash: 'dash' as const } }]
      : [];
    return {
      data: [{ name: 'correlation', ...lineTrace(line.x, line.y, view), line: { color: colors.series[2], width: 1 } } as Data],
      points: this.model.bars,
      layout: { title: { text: `rolling correlation of returns (window ${c.window})`, font: { size: 12 } }, xaxis: { type: 'date' }, yaxis: { range: [-1, 1] }, shapes, showlegend: false },
    };
  }

  private crossFigure(colors: IThemeColors): Figure | null {
    const xc = this.model.crossCorrelation;
    if (!xc || xc.lags.length === 0) return null;
    const title = { text: 'cross-correlation of returns by lag (positive lag: X leads Y)', font: { size: 12 } };
    if (this._mode.value === 'heatmap') {
      return {
        data: [{ type: 'heatmap', x: xc.lags, y: ['corr'], z: [xc.values], zmin: -1, zmax: 1, colorscale: 'RdBu' } as Data],
        layout: { title, xaxis: { title: { text: 'lag (bars)' } } },
      };
    }
    return {
      data: [{ type: 'bar', x: xc.lags, y: xc.values, marker: { color: colors.series[0] } } as Data],
      layout: { title, xaxis: { title: { text: 'lag (bars)' } }, yaxis: { range: [-1, 1] } },
    };
  }

  private _mode: HTMLSelectElement;
}
