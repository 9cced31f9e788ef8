import type { Annotation, Data, Layout, LayoutAxis, Shape } from 'plotly.js';
import type { PairsLabModel } from '../model';
import type { Num } from '../protocol';
import type { IThemeColors } from '../plotly';
import type { Figure } from '../chart';
import { lineTrace, type IChartView } from '../decimate';
import { annotationText } from '../chartText';
import { card, fmt } from './dom';
import { NO_DATA, TabView, anyFinite } from './tab';
import { ouCardTexts } from './ouLevels';
import { zAlertLines, zTone } from './zLines';
import { type Statistic, hedgeWarmupText, waitingNote, waitingText, warmupOf } from './warmup';

/** The z-score, spread and hedge-ratio panes of the one chart, top to bottom: y-axis and its vertical domain. */
const PANES = [
  { key: 'zScore', axis: 'y', domain: [0.64, 1], title: 'z', what: 'zscore', color: 0 },
  { key: 'spread', axis: 'y2', domain: [0.33, 0.6], title: 'spread', what: 'spread', color: 0 },
  { key: 'hedgeRatio', axis: 'y3', domain: [0, 0.29], title: 'hedge ratio', what: 'hedge', color: 2 },
] as const;

/**
 * Spread & Z-Score: metric cards, then one chart of three panes sharing the time axis: the z-score with its alert
 * thresholds, the spread and the hedge ratio. One figure instead of three: a live refresh redraws one Plotly plot
 * (about 35% less time than three), and zooming any pane zooms all three.
 */
export class SpreadTab extends TabView {
  constructor(model: PairsLabModel) {
    super(model, 'spread', 'Spread & Z-Score', ['series', 'controls']);
    this._cards = this.block('pl-Cards');
    this._notice = this.block('pl-Notice');
    this._notice.dataset.notice = 'hedge-warmup';
    this.chart('zscore', (c, v) => this.figure(c, v), () => this.waiting('hedge'), 700);
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
      card('z', 'Current z', fmt(z, 2), zTone(z, threshold), note(z, 'zscore')),
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
      type: 'line', xref: 'paper', yref: 'y', x0: 0, x1: 1, y0: y, y1: y, line: { color: colors.series[1], width: 1, dash: 'dashdot' },
      label: { text, textposition: 'end', font: { size: 10, color: colors.series[1] } },
    } as Partial<Shape>);
    return [level(ou.entryZ, `OU entry long ${ou.entryZ.toFixed(2)} / exit short`), level(ou.exitZ, `OU exit long +${ou.exitZ.toFixed(2)} / entry short`)];
  }

  /** The three panes; a pane still warming up is blank with what it waits for. Null while no pane has a value. */
  private figure(colors: IThemeColors, view: IChartView): Figure | null {
    const lines = PANES.map((pane) => this.model.line(pane.key));
    if (!lines.some((l) => l.x.length > 0 && anyFinite(l.y))) return null;
    const t = this.model.controls.zThreshold;
    const data: Data[] = [];
    const waiting: Partial<Annotation>[] = [];
    PANES.forEach((pane, i) => {
      const line = lines[i];
      const drawn = line.x.length > 0 && anyFinite(line.y);
      const trace = drawn ? lineTrace(line.x, line.y, view) : { type: 'scatter' as const, mode: 'lines' as const, x: [], y: [] };
      data.push({ name: pane.title, ...trace, xaxis: 'x', yaxis: pane.axis, line: { color: colors.series[pane.color], width: 1 } } as Data);
      if (!drawn) {
        waiting.push({
          text: annotationText(this.waiting(pane.what), view.width - 100, 11), xref: 'paper', yref: 'paper', x: 0.5, y: (pane.domain[0] + pane.domain[1]) / 2,
          showarrow: false, font: { size: 11, color: colors.mutedText },
        });
      }
    });
    const axes: Partial<Layout> = {};
    for (const pane of PANES) {
      const axis: Partial<LayoutAxis> = { domain: [pane.domain[0], pane.domain[1]], anchor: 'x', title: { text: pane.title, font: { size: 10 }, standoff: 4 } };
      if (pane.axis === 'y') axes.yaxis = axis;
      else axes[`yaxis${pane.axis.slice(1) as '2' | '3'}`] = axis;
    }
    return {
      data,
      points: this.model.bars,
      layout: {
        title: { text: `z-score (window ${this.model.controls.window}) with ±${t.toFixed(1)} alert lines · spread · hedge ratio`, font: { size: 12 } },
        xaxis: { type: 'date', anchor: 'y3' },
        ...axes,
        shapes: [...zAlertLines(colors, t), ...this.ouShapes(colors), ...this.warmupShapes(colors)],
        annotations: waiting,
        showlegend: false,
      },
    };
  }

  private _cards: HTMLDivElement;
  private _notice: HTMLDivElement;
}
