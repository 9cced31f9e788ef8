import { Panel, Widget } from '@lumino/widgets';
import type { Message } from '@lumino/messaging';
import type { PairsLabModel, ModelPart } from '../model';
import { Chart, type Figure } from '../chart';
import type { IThemeColors } from '../plotly';
import type { IChartView } from '../decimate';

/** A tab of the panel: a scrolling column of HTML blocks and charts that redraws on the model parts it shows. */
export abstract class TabView extends Panel {
  constructor(readonly model: PairsLabModel, name: string, label: string, private readonly parts: ModelPart[]) {
    super();
    this.id = `pl-tab-${name}`;
    this.addClass('pl-Tab');
    this.node.dataset.tab = name;
    this.title.label = label;
    // A hidden tab renders when it is shown: rendering every tab on each live refresh cost the visible one frames.
    model.changed.connect((_, part) => {
      if (!this.parts.includes(part)) return;
      if (this.isVisible) void this.refresh();
      else this._stale = true;
    });
  }

  protected override onAfterShow(msg: Message): void {
    super.onAfterShow(msg);
    this.renderIfStale();
  }

  protected override onAfterAttach(msg: Message): void {
    super.onAfterAttach(msg);
    if (this.isVisible) this.renderIfStale();
  }

  private renderIfStale(): void {
    if (!this._stale) return;
    this._stale = false;
    this.render();
  }

  /**
   * Redraws the charts that are on screen and re-renders the HTML parts; resolves when drawn. Calls in one turn (the
   * model's change signal, then the panel awaiting the same reply) do the work once.
   */
  refresh(): Promise<void> {
    this._stale = false;
    this._refreshing ??= Promise.resolve().then(() => {
      this._refreshing = null;
      // HTML after the charts: Plotly measures its labels, which lays out whatever HTML changed before it; changed
      // after, the tables and cards are laid out once, with the frame.
      return Promise.all(this.charts.map((c) => c.invalidate())).then(() => this.render());
    });
    return this._refreshing;
  }

  /** Redraws every chart, e.g. after a theme change. */
  redrawCharts(): Promise<void> {
    return Promise.all(this.charts.map((c) => c.invalidate())).then(() => undefined);
  }

  /** Updates the non-chart parts of the tab. */
  protected abstract render(): void;

  protected block(className: string): HTMLDivElement {
    const widget = new Widget();
    for (const name of className.split(/\s+/)) widget.addClass(name);
    this.addWidget(widget);
    return widget.node as HTMLDivElement;
  }

  protected chart(name: string, makeFigure: (colors: IThemeColors, view: IChartView) => Figure | null, emptyText: string | (() => string), height?: number): Chart {
    const chart = new Chart(name, makeFigure, height);
    chart.emptyText = emptyText;
    chart.zoomKey = () => this.model.viewKey();
    chart.onZoomed = (range, width) => this.model.setZoom(range ? { range, width } : null);
    this.charts.push(chart);
    this.addWidget(chart);
    return chart;
  }

  protected readonly charts: Chart[] = [];
  /** The model changed while the tab was hidden. */
  private _stale = true;
  private _refreshing: Promise<void> | null = null;
}

/** `data[i]` for the newest `count` points. */
export function tail<T>(data: T[], count: number): T[] {
  return data.length > count ? data.slice(data.length - count) : data;
}

/** Whether any value is a finite number (a series still warming up is all null). */
export function anyFinite(values: ArrayLike<number | null> | undefined): boolean {
  if (!values) return false;
  for (let i = values.length - 1; i >= 0; i--) if (typeof values[i] === 'number' && Number.isFinite(values[i])) return true;
  return false;
}

export const NO_DATA = 'No bars yet for this pair. Bars appear as the feed records trades; check the Feed tab, or upload a CSV of bars.';
