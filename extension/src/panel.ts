import { BoxPanel, Panel, SplitPanel, TabPanel } from '@lumino/widgets';
import type { ServiceManager } from '@jupyterlab/services';
import { PanelKernel, PanelRequestError } from './kernel';
import { PairsLabModel } from './model';
import { PANEL_ID, type IPairsLabSettings, type KernelState } from './tokens';
import type { FeedSource, SnapshotData } from './protocol';
import { ControlsView } from './views/controls';
import { HeaderView } from './views/header';
import { PricesTab } from './views/prices';
import { SpreadTab } from './views/spread';
import { CorrelationTab } from './views/correlation';
import { BacktestTab } from './views/backtest';
import { AlertsTab } from './views/alerts';
import { FeedTab } from './views/feed';
import { OverviewTab } from './views/overview';
import type { TabView } from './views/tab';

export interface IPanelOptions {
  serviceManager: ServiceManager.IManager;
  settings: IPairsLabSettings;
  /** Opens a new notebook attached to the kernel with this id. */
  openNotebook(kernelId: string, kernelName: string): Promise<void>;
}

/** Timings of the last refresh, for the status line and the browser benchmark. */
export interface IRefreshTiming {
  /** From the reply arriving to the visible charts being drawn, ms. */
  renderMs: number;
  /** Of which merging the reply into the model, ms. */
  modelMs: number;
  /** Bars in the view after the reply. */
  bars: number;
  /** Points in the charts on screen. */
  points: number;
}

/**
 * The Pairs Lab panel: sidebar controls and seven tabs over one kernel session. It owns the session and the
 * refresh loop; the views only read and write the model.
 */
export class PairsLabPanel extends SplitPanel {
  constructor(private readonly options: IPanelOptions) {
    super({ orientation: 'horizontal', spacing: 0 });
    this.id = PANEL_ID;
    this.addClass('pl-Panel');
    this.title.label = 'Pairs Lab';
    this.title.caption = 'Pairs Lab: live pair analytics';
    this.title.closable = true;
    const s = options.settings;
    this.model = new PairsLabModel({
      y: s.ySymbol, x: s.xSymbol, timeframe: s.timeframe, window: s.window, zThreshold: s.zThreshold,
      spreadAlertEnabled: s.spreadAlertEnabled, spreadWidth: s.spreadWidth, correlationAlertEnabled: s.correlationAlertEnabled,
      minCorrelation: s.minCorrelation, minVolume: s.minVolume, hedge: s.hedgeMethod, autoRefresh: s.autoRefresh,
      refreshIntervalMs: Math.max(250, s.refreshIntervalMs),
    }, { entry: 2, exit: 0.5, stop: 4, feeBps: 5, slippageBps: 1, notional: 10_000 });
    this.model.maxBars = s.maxBars;
    // A fixed session path: after a page reload the panel re-attaches to the kernel it had, with its recorder.
    this.kernel = new PanelKernel(options.serviceManager, 'pairs-lab-panel');

    const sidebar = new Panel();
    sidebar.addClass('pl-Sidebar');
    sidebar.addWidget(new ControlsView(this.model, {
      setUniverse: (symbols) => void this.setUniverse(symbols),
      uploadCsv: (file, timeframe) => void this.uploadCsv(file, timeframe),
      setFeedSource: (source) => void this.setFeedSource(source),
      refreshNow: () => void this.refresh(),
    }));
    this.header = new HeaderView(this.model, { restart: () => void this.restartKernel(), openNotebook: () => void this.openNotebook() });
    this.tabs = new TabPanel();
    this.tabs.addClass('pl-Tabs');
    this.tabViews = [
      new PricesTab(this.model, () => this.settings.candles),
      new SpreadTab(this.model),
      new CorrelationTab(this.model),
      new BacktestTab(this.model, {
        runBacktest: () => void this.runBacktest(),
        runParamSearch: (entry, exit) => void this.runParamSearch(entry, exit),
        download: (what) => void this.download(what),
      }),
      new AlertsTab(this.model),
      new FeedTab(this.model, () => void this.setFeedSource('simulated')),
      new OverviewTab(this.model, { scan: () => void this.scan(), openPair: (y, x) => this.openPair(y, x) }),
    ];
    for (const tab of this.tabViews) this.tabs.addWidget(tab);
    this.tabs.currentChanged.connect(() => void this.onTabChanged());
    const main = new BoxPanel({ direction: 'top-to-bottom', spacing: 0 });
    main.addWidget(this.header);
    main.addWidget(this.tabs);
    BoxPanel.setStretch(this.header, 0);
    BoxPanel.setStretch(this.tabs, 1);
    this.addWidget(sidebar);
    this.addWidget(main);
    // Layout containers never scroll: a scrollIntoView inside a tab would otherwise shift the header out of sight.
    for (const node of [this.node, main.node]) {
      node.addEventListener('scroll', () => {
        node.scrollTop = 0;
        node.scrollLeft = 0;
      });
    }
    this.setRelativeSizes([1, 4]);

    this.model.changed.connect((_, part) => {
      if (part === 'controls') this.onControlsChanged();
    });
    this.kernel.stateChanged.connect((_, state) => this.onKernelState(state));
    this.kernel.reloaded.connect(() => void this.openSession());
  }

  readonly model: PairsLabModel;
  readonly kernel: PanelKernel;
  readonly header: HeaderView;
  readonly tabs: TabPanel;
  readonly tabViews: TabView[];
  /** The last refresh's timing; `null` until a snapshot was drawn. */
  lastTiming: IRefreshTiming | null = null;

  get settings(): IPairsLabSettings {
    return this.options.settings;
  }

  /** Starts the kernel; the library load then opens the session and the first refresh follows. */
  async start(): Promise<void> {
    try {
      await this.kernel.start();
    } catch (err) {
      this.showError(err, 'The Pairs Lab kernel could not start');
    }
  }

  /** Asks for new bars now (incremental when the view is unchanged) and draws them. */
  async refresh(): Promise<void> {
    if (this._refreshing) {
      this._refreshAgain = true;
      return;
    }
    this._refreshing = true;
    this.clearTimer();
    try {
      const view = this.model.viewKey();
      const reply = await this.kernel.request('snapshot', this.model.snapshotParams(this.settings.maxBars));
      await this.applySnapshot(reply.data, reply.seq, view);
      if (this._refreshMessage !== null && this.model.message('panel')?.text === this._refreshMessage) this.setPanelMessage(null);
      this._refreshMessage = null;
      this.adviseOnFeed();
    } catch (err) {
      if (err instanceof PanelRequestError && err.field && this.model.controls.autoRefresh) {
        // A refused view stays refused: wait for the user to change the control rather than retrying.
        this._refreshMessage = this.showError(err, 'The kernel refused the view');
        return;
      }
      this._refreshMessage = this.showError(err, 'Refresh failed');
    } finally {
      this._refreshing = false;
    }
    if (this._refreshAgain) {
      this._refreshAgain = false;
      void this.refresh();
    } else {
      this.scheduleRefresh();
    }
  }

  /** Applies a snapshot reply and draws the tab on screen; records how long drawing took. */
  async applySnapshot(data: SnapshotData, seq: number | undefined, view: string): Promise<IRefreshTiming | null> {
    const t0 = performance.now();
    if (!this.model.applySnapshot(data, seq, view)) return null;
    const modelMs = performance.now() - t0;
    const current = this.tabs.currentWidget as TabView | null;
    await current?.refresh();
    await Private.nextFrame();
    const renderMs = performance.now() - t0;
    const points = Math.max(0, ...Array.from(this.node.querySelectorAll<HTMLElement>('.pl-Tab:not(.lm-mod-hidden) .pl-Chart')).map((c) => Number(c.dataset.points ?? 0)));
    this.lastTiming = { renderMs, modelMs, bars: this.model.series?.time.length ?? 0, points };
    this.node.dataset.renderMs = renderMs.toFixed(1);
    this.node.dataset.bars = String(this.lastTiming.bars);
    this.node.dataset.refreshes = String(++this._refreshCount);
    return this.lastTiming;
  }

  async restartKernel(): Promise<void> {
    this.clearTimer();
    this.setPanelMessage({ level: 'info', text: 'Restarting the kernel; the panel reconnects and reloads when it is back.' });
    try {
      await this.kernel.restart();
    } catch (err) {
      this.showError(err, 'The kernel could not restart');
    }
  }

  /** Redraws every tab's charts, e.g. after the theme changed. */
  redraw(): void {
    for (const tab of this.tabViews) void tab.redrawCharts();
  }

  override dispose(): void {
    if (this.isDisposed) return;
    this.clearTimer();
    this.kernel.dispose();
    super.dispose();
  }

  /** After the library loaded (first start or restart): init the session, then refresh. */
  private async openSession(): Promise<void> {
    this.model.resetSeq();
    const s = this.settings;
    try {
      const { data } = await this.kernel.request('init', {
        ...(s.dataDir ? { dataDir: s.dataDir } : {}),
        ...(s.universe.length >= 2 ? { universe: s.universe } : {}),
      });
      this.model.setConfig(data);
      // `npm start` runs the recorder beside JupyterLab: attach to it rather than start a second writer on the store.
      const health = await this.kernel.request('health', {});
      this.model.setHealth(health.data);
      this.setPanelMessage(null);
      if (health.data.state !== 'attached' && data.feed === null && s.feedSource !== 'none') {
        await this.setFeedSource(s.feedSource);
      } else {
        await this.refresh();
      }
    } catch (err) {
      this.showError(err, 'The session could not open');
    }
  }

  private onControlsChanged(): void {
    // Coalesce a burst of control changes (e.g. a slider drag) into one refresh.
    if (this._controlsTimer !== undefined) window.clearTimeout(this._controlsTimer);
    this._controlsTimer = window.setTimeout(() => {
      this._controlsTimer = undefined;
      void this.refresh();
    }, 150);
  }

  private scheduleRefresh(): void {
    this.clearTimer();
    if (!this.model.controls.autoRefresh || this.isDisposed) return;
    this._timer = window.setTimeout(() => void this.refresh(), this.model.controls.refreshIntervalMs);
  }

  private clearTimer(): void {
    if (this._timer !== undefined) window.clearTimeout(this._timer);
    this._timer = undefined;
  }

  private async onTabChanged(): Promise<void> {
    const current = this.tabs.currentWidget as TabView | null;
    if (current?.node.dataset.tab === 'alerts') {
      try {
        const { data } = await this.kernel.request('alerts', { limit: 500 });
        this.model.addAlerts(data.alerts, true);
      } catch (err) {
        this.showError(err, 'The alert log could not be read');
      }
    }
  }

  private onKernelState(state: KernelState): void {
    this.header.setKernelState(state);
    this.node.dataset.kernelState = state;
    const deadText = 'The kernel died. Use "Restart kernel" above to start a new one; the panel then reloads.';
    if (state === 'dead') this.setPanelMessage({ level: 'error', text: deadText });
    if (state === 'ready' && this.model.message('panel')?.text === deadText) this.setPanelMessage(null);
    if (state === 'restarting') this.clearTimer();
  }

  private async setUniverse(symbols: string[]): Promise<void> {
    try {
      const { data } = await this.kernel.request('setUniverse', { symbols });
      this.model.setConfig(data);
      const c = this.model.controls;
      if (!data.universe.includes(c.y) || !data.universe.includes(c.x)) {
        const [y, x] = data.universe;
        this.model.setControls({ y: data.universe.includes(c.y) ? c.y : (c.x === y ? x : y), x: data.universe.includes(c.x) ? c.x : (c.y === x ? y : x) });
      }
      this.setPanelMessage({ level: 'info', text: `Universe: ${data.universe.join(', ')}.` });
    } catch (err) {
      this.showError(err, 'The universe was not changed');
    }
  }

  private async uploadCsv(file: File, timeframe: string): Promise<void> {
    this.model.setMessage('csv', { level: 'info', text: `Importing ${file.name}…` });
    try {
      const text = await file.text();
      const { data } = await this.kernel.request('importCsv', { text, timeframe, fileName: file.name });
      const config = await this.kernel.request('config', {});
      this.model.setConfig(config.data);
      this.model.setMessage('csv', {
        level: 'info',
        text: `Imported ${data.rows} bars of ${data.symbols.join(', ')} (${Private.utc(data.from)} to ${Private.utc(data.to)} UTC). Pick them as Y and X to see them.`,
      });
    } catch (err) {
      const details = err instanceof PanelRequestError ? err.details ?? [] : [];
      this.model.setMessage('csv', {
        level: 'error',
        text: `${file.name} was not imported: ${Private.messageOf(err)}${details.length ? ' Fix these lines and upload the file again:' : ''}`,
        lines: details.slice(0, 50).map((d) => `line ${d.line}${d.column ? ` (${d.column})` : ''}: ${d.reason}`),
      });
    }
  }

  private async setFeedSource(source: FeedSource): Promise<void> {
    try {
      const { data } = await this.kernel.request('setFeedSource', { source });
      this.model.setConfig(data);
      this.setPanelMessage({ level: 'info', text: source === 'simulated' ? 'Recording from the simulated exchange (labelled SIMULATED).' : 'Recording from Binance USD-M futures.' });
      void this.refresh();
    } catch (err) {
      if (source === 'binance') {
        this.setPanelMessage({
          level: 'warning',
          text: `Binance cannot be reached (${Private.messageOf(err)}). Check the network, or choose "Simulated exchange" under Feed source to keep recording offline.`,
        });
      } else {
        this.showError(err, 'The feed source was not changed');
      }
      // The select shows what the kernel really records from.
      if (this.model.config) this.model.setConfig(this.model.config);
    }
  }

  private strategyParams() {
    const s = this.model.strategy;
    const c = this.model.controls;
    return {
      y: c.y, x: c.x, timeframe: c.timeframe, window: c.window, hedge: c.hedge, minVolume: c.minVolume, maxBars: this.settings.maxBars,
      entry: s.entry, exit: s.exit, ...(s.stop !== null ? { stop: s.stop } : {}), feeBps: s.feeBps, slippageBps: s.slippageBps, notional: s.notional,
    };
  }

  private async runBacktest(): Promise<void> {
    this.model.setMessage('backtest', { level: 'info', text: 'Running the backtest…' });
    try {
      const { data } = await this.kernel.request('backtest', this.strategyParams());
      this.model.setBacktest(data);
      this.model.setMessage('backtest', data.trades.length === 0 ? { level: 'warning', text: 'The strategy made no trades on these bars. Lower the entry threshold or wait for more bars.' } : null);
    } catch (err) {
      this.model.setMessage('backtest', { level: 'error', text: `The backtest did not run: ${Private.messageOf(err)}` });
    }
  }

  private async runParamSearch(entry: number[], exit: number[]): Promise<void> {
    this.model.setMessage('backtest', { level: 'info', text: `Searching ${entry.length * exit.length} parameter sets…` });
    const { entry: _e, exit: _x, stop: _s, ...base } = this.strategyParams();
    void _e; void _x; void _s;
    try {
      const { data } = await this.kernel.request('paramSearch', { ...base, grid: { entry, exit }, validation: { mode: 'walkForward', folds: 4 }, objective: 'sharpe' });
      this.model.setParamSearch(data);
      this.model.setMessage('backtest', null);
    } catch (err) {
      this.model.setMessage('backtest', { level: 'error', text: `The parameter search did not run: ${Private.messageOf(err)}` });
    }
  }

  private async download(what: 'analytics' | 'trades' | 'bars'): Promise<void> {
    const params = what === 'trades' ? this.strategyParams() : (({ entry: _e, exit: _x, stop: _s, ...rest }) => rest)(this.strategyParams());
    try {
      const { data } = await this.kernel.request('exportCsv', { ...params, what });
      const url = URL.createObjectURL(new Blob([data.text], { type: 'text/csv' }));
      const a = document.createElement('a');
      a.href = url;
      a.download = data.fileName;
      document.body.append(a);
      a.click();
      a.remove();
      window.setTimeout(() => URL.revokeObjectURL(url), 10_000);
      this.model.setMessage('backtest', { level: 'info', text: `Downloaded ${data.fileName} (${data.rows} rows).` });
    } catch (err) {
      this.model.setMessage('backtest', { level: 'error', text: `The CSV was not exported: ${Private.messageOf(err)}` });
    }
  }

  private async scan(): Promise<void> {
    this.model.setMessage('overview', { level: 'info', text: 'Scanning the universe…' });
    try {
      const { data } = await this.kernel.request('scan', { timeframe: this.model.controls.timeframe, minVolume: this.model.controls.minVolume, maxBars: this.settings.maxBars });
      this.model.setScan(data);
      this.model.setMessage('overview', data.rows.length === 0 ? { level: 'warning', text: 'No pair has enough bars yet on this timeframe. Wait for the feed, pick a longer range, or upload bars.' } : null);
    } catch (err) {
      this.model.setMessage('overview', { level: 'error', text: `The scan did not run: ${Private.messageOf(err)}` });
    }
  }

  private openPair(y: string, x: string): void {
    this.model.setControls({ y, x });
    this.tabs.currentIndex = 0;
  }

  private async openNotebook(): Promise<void> {
    const kernel = this.kernel.kernel;
    if (!kernel || this.kernel.state === 'dead') {
      this.setPanelMessage({ level: 'error', text: 'The panel has no running kernel to share. Use "Restart kernel" first.' });
      return;
    }
    try {
      await this.options.openNotebook(kernel.id, kernel.name);
    } catch (err) {
      this.showError(err, 'The notebook could not be opened');
    }
  }

  private adviseOnFeed(): void {
    const h = this.model.health;
    if (h?.source === 'binance' && (h.state === 'error' || h.error)) {
      const text = h.state === 'attached'
        ? `The recorder writing this store cannot reach Binance${h.error ? ` (${h.error})` : ''}. Check the network, or restart with \`npm start -- --sim\` to record from the simulated exchange.`
        : `Binance cannot be reached${h.error ? ` (${h.error})` : ''}. Check the network, or choose "Simulated exchange" under Feed source (the Feed tab has a button).`;
      this._refreshMessage = text;
      this.setPanelMessage({ level: 'warning', text });
    }
  }

  /** Shows `err` in the sidebar; returns the text shown. */
  private showError(err: unknown, what: string): string {
    const field = err instanceof PanelRequestError && err.field ? ` (field: ${err.field})` : '';
    const text = `${what}: ${Private.messageOf(err)}${field}`;
    this.setPanelMessage({ level: 'error', text });
    return text;
  }

  private setPanelMessage(message: Parameters<PairsLabModel['setMessage']>[1]): void {
    const current = this.model.message('panel');
    if (current?.text === message?.text) return;
    this.model.setMessage('panel', message);
  }

  private _timer: number | undefined;
  private _controlsTimer: number | undefined;
  private _refreshing = false;
  private _refreshAgain = false;
  /** The sidebar message the last failed refresh set; a successful refresh clears it. */
  private _refreshMessage: string | null = null;
  private _refreshCount = 0;
}

namespace Private {
  export function nextFrame(): Promise<void> {
    return new Promise((resolve) => requestAnimationFrame(() => resolve()));
  }

  export function messageOf(err: unknown): string {
    return err instanceof Error ? err.message : String(err);
  }

  export function utc(ms: number | null): string {
    return ms === null ? '—' : new Date(ms).toISOString().replace('T', ' ').slice(0, 19);
  }
}

