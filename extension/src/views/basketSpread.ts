import type { Data } from 'plotly.js';
import type { PairsLabModel } from '../model';
import type { BasketData } from '../protocol';
import type { IThemeColors } from '../plotly';
import type { Figure } from '../chart';
import { lineTrace, type IChartView } from '../decimate';
import { card, el, fmt, pct } from './dom';
import { BasketTabView } from './basketTab';
import { zAlertLines, zTone } from './zLines';

const METHOD: Record<BasketData['method'], string> = { johansen: 'Johansen (first eigenvector)', eg: 'Engle-Granger (OLS of leg 1)' };

/** Spread & Z-Score of a basket: its weights, the tests of its spread, and the z with the alert lines and the spread. */
export class BasketSpreadTab extends BasketTabView {
  constructor(model: PairsLabModel) {
    super(model, 'spread', 'Spread & Z-Score');
    this._weights = this.block('pl-Cards');
    this._cards = this.block('pl-Cards');
    this.basketChart('basket-zscore', (c, v) => this.zFigure(c, v), 280);
    this.basketChart('basket-spread', (c, v) => this.spreadFigure(c, v), 240);
  }

  protected render(): void {
    const b = this.view();
    if (!b) {
      this._weights.replaceChildren();
      this._cards.replaceChildren();
      return;
    }
    const s = b.stats;
    const threshold = this.model.controls.zThreshold;
    const z = s.zScore;
    const weights = el('table', { class: 'pl-BasketWeights' }, el('tbody', {}, ...b.legs.map((leg, i) =>
      el('tr', { 'data-leg': leg }, el('td', {}, leg), el('td', { class: 'pl-num' }, fmt(s.weights[i]))))));
    const weightsCard = card('basket-weights', `Weights · ${METHOD[b.method]}`, '', undefined, `spread = Σ weight · close − ${fmt(s.intercept)}`);
    weightsCard.querySelector('.pl-Card-value')?.replaceChildren(weights);
    weightsCard.dataset.method = b.method;
    weightsCard.dataset.legs = String(b.legs.length);
    this._weights.replaceChildren(weightsCard);
    const johansen = b.method === 'johansen';
    this._cards.replaceChildren(
      card('half-life', 'Half-life (bars)', fmt(s.halfLifeBars, 1)),
      card('adf-statistic', 'ADF statistic', fmt(s.adfStatistic, 3)),
      card('adf-p', 'ADF p-value', fmt(s.adfPValue, 3), s.adfPValue === null ? undefined : s.adfPValue < 0.05 ? 'ok' : 'warn'),
      card('coint', johansen ? 'Johansen trace (r = 0)' : 'Engle-Granger ADF', fmt(s.cointStatistic, 3), s.cointRejects ? 'ok' : 'warn',
        johansen ? `95% critical ${fmt(s.cointCritical5, 3)}: ${s.cointRejects ? 'cointegrated' : 'not rejected'}` : `p-value ${fmt(s.cointPValue, 3)}`),
      card('stability', 'Stability', pct(s.stability, 0), undefined, 'share of rolling windows whose test rejects at 5%'),
      card('z', 'Current z', fmt(z, 2), zTone(z, threshold)),
    );
  }

  private zFigure(colors: IThemeColors, view: IChartView): Figure | null {
    const b = this.view();
    if (!b || !b.zScore.some((v) => v !== null)) return null;
    const t = this.model.controls.zThreshold;
    return {
      data: [{ name: 'z-score', ...lineTrace(b.time, b.zScore, view), line: { color: colors.series[0], width: 1 } } as Data],
      points: b.bars,
      layout: {
        title: { text: `${b.legs.join(' / ')} basket z-score (window ${b.window}) with ±${t.toFixed(1)} alert lines`, font: { size: 12 } },
        xaxis: { type: 'date' }, shapes: zAlertLines(colors, t), showlegend: false,
      },
    };
  }

  private spreadFigure(colors: IThemeColors, view: IChartView): Figure | null {
    const b = this.view();
    if (!b || b.time.length === 0) return null;
    return {
      data: [{ name: 'spread', ...lineTrace(b.time, b.spread, view), line: { color: colors.series[0], width: 1 } } as Data],
      points: b.bars,
      layout: { title: { text: `basket spread (${b.method})`, font: { size: 12 } }, xaxis: { type: 'date' }, showlegend: false },
    };
  }

  private _weights: HTMLDivElement;
  private _cards: HTMLDivElement;
}
