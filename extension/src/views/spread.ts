import type { Data, Shape } from 'plotly.js';
import type { PairsLabModel } from '../model';
import type { Num, OverviewLineName } from '../protocol';
import type { IThemeColors } from '../plotly';
import type { Figure } from '../chart';
import { lineTrace, type IChartView } from '../decimate';
import { card, fmt } from './dom';
import { NO_DATA, TabView, anyFinite } from './tab';
import { ouCardTexts } from './ouLevels';
import { type Statistic, hedgeWarmupText, waitingNote, waitingText, warmupOf } from './warmup';

/** Spread & Z-Score: metric cards, the z-score with its alert thresholds, the spread and the hedge ratio over time. */
export class SpreadTab extends TabView {
  constructor(model: PairsLabModel) {
    super(model, 'spread', 'Spread & Z-Score', ['series', 'controls']);
    this._cards = this.block('pl-Cards');
    this._notice = this.block('pl-Notice');
    this._notice.dataset.notice = 'hedge-warmup';
    this.chart('zscore', (c, v) => this.zFigure(c, v), () => this.waiting('zscore'), 280);
    this.chart('spread', (c, v) => this.lineFigure(c, v, 'spread', 'spread', c.series[0]), () => this.waiting('spread'), 240);
    this.chart('hedge-ratio', (c, v) => this.lineFigure(c, v, 'hedge ratio', 'hedgeRatio', c.series[2]), () => this.waiting('hedge'), 220);
  }

  protected render(): void {
    const m = this.model.metrics;
    const z = m?.zScore ?? null;
    const threshold = this.model.controls.zThreshold;
    const adfP = m?.adfPValue ?? null;
    const st = warmupOf(this.model);
    const note = (value: Num | undefined, what: Statistic) => waitingNote(st, value, what);
    const ou = ouCardTexts(m ? m.ou : null, note(m?.ou?.entryZ, 'tests'));
    const hedgeLabel = `Hedge ratio (${this.model.controls.hedge}${typeof m?.hedgeFitBars === 'number' && typeof m.hedgeWindow === 'number' && m.hedgeFitBars < m.hedgeWindow ? `, expanding ${m.hedgeFitBars}/${m.hedgeWindow}` : ''})`;
    this._cards.replaceChildren(
      card('hedge-ratio', hedgeLabel, fmt(m?.hedgeRatio), undefined, note(m?.hedgeRatio, 'hedge')),
      card('r-squared', 'R²', fmt(m?.rSquared, 3)),
      card('adf-statistic', 'ADF statistic', fmt(m?.adfStatistic, 3), undefined, note(m?.adfStatistic, 'tests')),
      card('adf-p', 'ADF p-value', fmt(adfP, 3), adfP === null ? undefined : adfP < 0.05 ? 'ok' : 'warn', note(adfP, 'tests')),
      card('half-life', 'Half-life (bars)', fmt(m?.halfLifeBars, 1), undefined, note(m?.halfLifeBars, 'tests')),
      card('ou-half-life', 'OU half-life', ou.halfLife, undefined, ou.halfLifeNote || undefined),
      card('ou-levels', 'OU entry / exit (z)', ou.levels, undefined, ou.note || undefined),
      card('z', 'Current z', fmt(z, 2), z === null ? undefined : Math.abs(z) >= threshold ? 'alert' : Math.abs(z) >= threshold * 0.75 ? 'warn' : 'ok', note(z, 'zscore')),
    );
    const flag = hedgeWarmupText(st);
    this._notice.textContent = flag;
    this._notice.hidden = flag === '';
  }

  private waiting(what: Statistic): string {
    const st = warmupOf(this.model);
    return st.bars === 0 ? NO_DATA : waitingText(st, what) || `No ${what === 'zscore' ? 'z-score' : what === 'hedge' ? 'hedge ratio' : what} values in the bars shown (a leg may be constant, or bars are missing).`;
  }

  /** The bars whose hedge ratio was fitted on fewer bars than the hedge window, shaded. */
  private warmupShapes(colors: IThemeColors): Partial<Shape>[] {
    const until = this.model.metrics?.hedgeWarmupUntil;
    const start = this.model.viewStart;
    if (typeof until !== 'number' || start === null) return [];
    return [{
      type: 'rect', xref: 'x', yref: 'paper', x0: start, x1: until, y0: 0, y1: 1, layer: 'below', line: { width: 0 },
      fillcolor: colors.threshold, opacity: 0.08,
      label: { text: 'expanding hedge fit', textposition: 'top left', font: { size: 10, color: colors.threshold } },
    } as Partial<Shape>];
  }

  /** Bertram's OU levels in z units, dash-dot; symmetric, so each line is where one side enters and the other exits. */
  private ouShapes(colors: IThemeColors): Partial<Shape>[] {
    const ou = this.model.metrics?.ou;
    if (!ou || ou.entryZ === null || ou.exitZ === null) return [];
    const level = (y: number, text: string): Partial<Shape> => ({
      type: 'line', xref: 'paper', x0: 0, x1: 1, y0: y, y1: y, line: { color: colors.series[1], width: 1, dash: 'dashdot' },
      label: { text, textposition: 'end', font: { size: 10, color: colors.series[1] } },
    } as Partial<Shape>);
    return [level(ou.entryZ, `OU entry long ${ou.entryZ.toFixed(2)} / exit short`), level(ou.exitZ, `OU exit long +${ou.exitZ.toFixed(2)} / entry short`)];
  }

  private zFigure(colors: IThemeColors, view: IChartView): Figure | null {
    const z = this.model.line('zScore');
    if (z.x.length === 0 || !anyFinite(z.y)) return null;
    const t = this.model.controls.zThreshold;
    const line = (y: number, dash: 'dash' | 'dot') => ({ type: 'line' as const, xref: 'paper' as const, x0: 0, x1: 1, y0: y, y1: y, line: { color: colors.threshold, width: 1, dash } });
    return {
      data: [{ name: 'z-score', ...lineTrace(z.x, z.y, view), line: { color: colors.series[0], width: 1 } } as Data],
      points: this.model.bars,
      layout: {
        title: { text: `z-score (window ${this.model.controls.window}) with ±${t.toFixed(1)} alert lines`, font: { size: 12 } },
        xaxis: { type: 'date' },
        shapes: [line(t, 'dash'), line(-t, 'dash'), line(0, 'dot'), ...this.ouShapes(colors), ...this.warmupShapes(colors)],
        showlegend: false,
      },
    };
  }

  private lineFigure(colors: IThemeColors, view: IChartView, name: string, key: OverviewLineName, color: string): Figure | null {
    const line = this.model.line(key);
    if (line.x.length === 0 || !anyFinite(line.y)) return null;
    return {
      data: [{ name, ...lineTrace(line.x, line.y, view), line: { color, width: 1 } } as Data],
      points: this.model.bars,
      layout: { title: { text: name, font: { size: 12 } }, xaxis: { type: 'date' }, shapes: this.warmupShapes(colors), showlegend: false },
    };
  }

  private _cards: HTMLDivElement;
  private _notice: HTMLDivElement;
}
