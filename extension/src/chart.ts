import type { Data, Layout } from 'plotly.js';
import { Widget } from '@lumino/widgets';
import type { Message } from '@lumino/messaging';
import { loadPlotly, PLOT_CONFIG, themedLayout, themeColors, type IThemeColors } from './plotly';
import type { IChartView } from './decimate';
import { clock } from './clock';

/** What a chart draws, computed from the model and the theme's colours. */
export type Figure = { data: Data[]; layout: Partial<Layout>; /** Points the figure stands for, before decimation. */ points?: number };

/**
 * One Plotly chart the panel owns. `draw` hands the figure to `Plotly.react`; a chart that is hidden keeps its
 * figure and draws it when shown. Figures get the chart's width and zoomed range so long lines can be decimated
 * to what the pixels can show (Plotly redraws 86,400 WebGL points in about 0.6 s, a few thousand in milliseconds);
 * zooming redraws the zoomed range at full resolution.
 */
export class Chart extends Widget {
  constructor(readonly name: string, private readonly makeFigure: (colors: IThemeColors, view: IChartView) => Figure | null, height = 320) {
    super();
    this.addClass('pl-Chart');
    this.node.dataset.chart = name;
    this.node.style.height = `${height}px`;
    this._plot = document.createElement('div');
    this._plot.className = 'pl-Chart-plot';
    this._empty = document.createElement('div');
    this._empty.className = 'pl-Chart-empty';
    this.node.append(this._plot, this._empty);
    // A chart scrolled out of sight is not redrawn on every refresh, only once it comes (nearly) into sight again.
    this._sight = new IntersectionObserver((entries) => {
      const entry = entries[entries.length - 1];
      if (!entry) return;
      this._inSight = entry.isIntersecting;
      this.node.dataset.inSight = String(this._inSight);
      if (this._inSight && this._stale && this.isVisible) void this.draw().then(() => this.resize());
    }, { rootMargin: '200px 0px' });
    this._sight.observe(this.node);
    // Reading clientWidth before each draw would make the browser lay out the page again after the previous chart's
    // redraw; the observer reports the width after layouts the browser does anyway.
    this._sizes = new ResizeObserver((entries) => {
      const entry = entries[entries.length - 1];
      if (entry) this._width = entry.contentRect.width;
    });
    this._sizes.observe(this._plot);
    // Plotly (~1.5 MB) loads while the kernel starts, not when the first reply is waiting to be drawn.
    preloadPlotly();
  }

  override dispose(): void {
    this._sight.disconnect();
    this._sizes.disconnect();
    super.dispose();
  }

  /** Identifies what the chart shows (e.g. the pair view); a new key drops the user's zoom. */
  zoomKey: () => string = () => 'keep';

  /** Called when the user zooms (an x range in epoch ms, or null when zoomed out), with the plot's width in pixels. */
  onZoomed: (range: [number, number] | null, width: number) => void = () => undefined;

  /** Shown instead of the chart while it has no data: a fixed text, or one computed at each draw (what it waits for). */
  set emptyText(text: string | (() => string)) {
    this._emptyText = text;
    this._empty.textContent = typeof text === 'string' ? text : text();
  }

  /** Marks the figure stale and draws it now if the chart is on screen and in sight. Resolves once drawn (or skipped). */
  invalidate(): Promise<void> {
    this._stale = true;
    return this.isVisible && this._inSight ? this.draw() : Promise.resolve();
  }

  /** Draws the figure if it is stale; draws run one after another. */
  draw(): Promise<void> {
    this._queue = this._queue.then(() => this.drawNow()).catch((err: unknown) => {
      this.node.classList.add('pl-mod-empty');
      this._empty.textContent = `This chart could not be drawn: ${err instanceof Error ? err.message : String(err)}. Reload the page to try again.`;
    });
    return this._queue;
  }

  private async drawNow(): Promise<void> {
    if (!this._stale) return;
    this._stale = false;
    const zoomKey = this.zoomKey();
    if (zoomKey !== this._zoomKey) this._xRange = null;
    this._zoomKey = zoomKey;
    const figure = this.makeFigure(themeColors(), { width: this._width || this._plot.clientWidth || this.node.clientWidth || 1000, xRange: this._xRange });
    if (!figure) {
      this.node.classList.add('pl-mod-empty');
      this.node.dataset.points = '0';
      if (typeof this._emptyText !== 'string') this._empty.textContent = this._emptyText();
      return;
    }
    this.node.classList.remove('pl-mod-empty');
    const plotly = await loadPlotly();
    const onClock = onDisplayClock(figure);
    // uirevision keeps the user's zoom across redraws of the same view (and clock).
    const layout = themedLayout(themeColors(), { ...onClock.layout, datarevision: ++this._revision, uirevision: `${zoomKey}|${clock.zone}` });
    await plotly.react(this._plot, onClock.data, layout, PLOT_CONFIG);
    this.node.dataset.clock = clock.zone;
    this.listenToZoom();
    this.node.dataset.points = String(figure.points ?? countPoints(figure.data));
    this.node.dataset.drawnPoints = String(countPoints(figure.data));
    this.node.dataset.revision = String(this._revision);
    this.node.dataset.traces = figure.data.map((d) => d.type ?? 'scatter').join(',');
  }

  protected override onAfterShow(msg: Message): void {
    super.onAfterShow(msg);
    void this.draw().then(() => this.resize());
  }

  protected override onResize(msg: Widget.ResizeMessage): void {
    super.onResize(msg);
    this.resize();
  }

  protected override onAfterAttach(msg: Message): void {
    super.onAfterAttach(msg);
    if (this.isVisible) void this.draw();
  }

  protected override onBeforeDetach(msg: Message): void {
    // Frees the WebGL context; the figure is drawn again when the chart is attached again (e.g. the panel moved).
    this._stale = true;
    this._zoomListening = false;
    void loadPlotly().then((p) => p.purge(this._plot));
    super.onBeforeDetach(msg);
  }

  private listenToZoom(): void {
    const gd = this._plot as HTMLDivElement & { on?: (event: string, fn: (e: Record<string, unknown>) => void) => void };
    if (this._zoomListening || !gd.on) return;
    this._zoomListening = true;
    gd.on('plotly_relayout', (e) => {
      const r0 = e['xaxis.range[0]'] ?? (e['xaxis.range'] as unknown[] | undefined)?.[0];
      const r1 = e['xaxis.range[1]'] ?? (e['xaxis.range'] as unknown[] | undefined)?.[1];
      const toMs = (v: unknown) => clock.fromAxis(v);
      if (r0 !== undefined && r1 !== undefined) this._xRange = [toMs(r0), toMs(r1)];
      else if (e['xaxis.autorange']) this._xRange = null;
      else return;
      this.onZoomed(this._xRange, this._plot.clientWidth || this.node.clientWidth || 1000);
      void this.invalidate();
    });
  }

  private resize(): void {
    if (this.isVisible && this._plot.childElementCount > 0) void loadPlotly().then((p) => p.Plots.resize(this._plot));
  }

  private _plot: HTMLDivElement;
  private _empty: HTMLDivElement;
  private readonly _sight: IntersectionObserver;
  private readonly _sizes: ResizeObserver;
  /** The plot's width in pixels as last laid out (0 until first measured). */
  private _width = 0;
  /** Until the observer first reports, a chart counts as in sight. */
  private _inSight = true;
  private _emptyText: string | (() => string) = '';
  private _stale = true;
  private _xRange: [number, number] | null = null;
  private _zoomKey = '';
  private _zoomListening = false;
  private _queue: Promise<void> = Promise.resolve();
  private _revision = 0;
}

/**
 * The figure as Plotly must get it to show its times on the display clock: figures hold epoch ms; a date axis gets
 * them moved (see DisplayClock.plotX) and says which clock it shows.
 */
function onDisplayClock(figure: Figure): Figure {
  const xaxis = figure.layout.xaxis as (Partial<Layout['xaxis']> & { title?: unknown }) | undefined;
  if (xaxis?.type !== 'date') return figure;
  const move = (v: unknown) => (typeof v === 'number' ? clock.plotX(v) : v);
  const data = figure.data.map((trace) => {
    const xs = (trace as { x?: ArrayLike<unknown> }).x;
    return xs ? { ...trace, x: Array.from(xs, move) } as Data : trace;
  });
  const shapes = figure.layout.shapes?.map((s) => (s.xref === 'x' ? { ...s, x0: move(s.x0) as typeof s.x0, x1: move(s.x1) as typeof s.x1 } : s));
  const title = xaxis.title ?? { text: `time (${clock.label})`, font: { size: 10 }, standoff: 4 };
  return { ...figure, data, layout: { ...figure.layout, xaxis: { ...xaxis, title } as Layout['xaxis'], ...(shapes ? { shapes } : {}) } };
}

let preloading = false;

function preloadPlotly(): void {
  if (preloading) return;
  preloading = true;
  const load = () => void loadPlotly().catch(() => undefined);
  if (typeof requestIdleCallback === 'function') requestIdleCallback(load, { timeout: 2000 });
  else window.setTimeout(load, 0);
}

function countPoints(data: Data[]): number {
  let n = 0;
  for (const trace of data) {
    const xs = (trace as { x?: ArrayLike<unknown> }).x;
    if (xs) n = Math.max(n, xs.length);
  }
  return n;
}
