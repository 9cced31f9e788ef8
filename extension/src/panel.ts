import { clock } from './clock';
import { BoxPanel, Panel, SplitPanel, TabPanel } from '@lumino/widgets';
import type { ServiceManager } from '@jupyterlab/services';
import { PanelKernel, PanelRequestError } from './kernel';
import { messageOf, setPanelMessage, showError } from './messages';
import { PairsLabModel } from './model';
import { PanelSession } from './session';
import { TabRequests } from './tabRequests';
import { PANEL_ID, type IPairsLabSettings, type IUserMessage, type KernelState } from './tokens';
import { ControlsView } from './views/controls';
import { HeaderView } from './views/header';
import { PricesTab } from './views/prices';
import { SpreadTab } from './views/spread';
import { CorrelationTab } from './views/correlation';
import { BacktestTab } from './views/backtest';
import { AlertsTab } from './views/alerts';
import { FeedTab } from './views/feed';
import { OverviewTab } from './views/overview';
import { WatchlistTab } from './views/watchlist';
import { Notification } from '@jupyterlab/apputils';
import { AlertNotices } from './alertNotices';
import type { AlertRow, SnapshotData, WatchlistParams } from './protocol';
import type { TabView } from './views/tab';
import { BasketTabs } from './basketTabs';

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

/** How long settings must stay unchanged before an open panel applies them, ms. */
const SETTINGS_SETTLE_MS = 1000;

/**
 * The Pairs Lab panel: sidebar controls and eight tabs over one kernel session (see session.ts). It owns the
 * refresh loop and the tabs' requests; the views only read and write the model.
 */
export class PairsLabPanel extends SplitPanel {
  constructor(private readonly options: IPanelOptions) {
    super({ orientation: 'horizontal', spacing: 0 });
    this.id = PANEL_ID;
    this.addClass('pl-Panel');
    this.title.label = 'Pairs Lab';
    this.title.caption = 'Pairs Lab: live pair analytics';
    this.title.closable = true;
    const s = Private.copySettings(options.settings);
    this._settings = s;
    this.model = new PairsLabModel({
      y: s.ySymbol, x: s.xSymbol, legs: [], basketWeights: 'johansen', timeframe: s.timeframe, window: s.window, zThreshold: s.zThreshold,
      spreadAlertEnabled: s.spreadAlertEnabled, spreadWidth: s.spreadWidth, correlationAlertEnabled: s.correlationAlertEnabled,
      minCorrelation: s.minCorrelation, minVolume: s.minVolume, hedge: s.hedgeMethod, hedgeWindow: null, autoRefresh: s.autoRefresh,
      refreshIntervalMs: Math.max(250, s.refreshIntervalMs),
    }, { entry: 2, exit: 0.5, stop: 4, feeBps: 5, slippageBps: 1, notional: 10_000 });
    this.model.maxBars = s.maxBars;
    // A fixed session path: after a page reload the panel re-attaches to the kernel it had, with its recorder.
    const kernel = new PanelKernel(options.serviceManager, 'pairs-lab-panel');
    this.session = new PanelSession(this.model, kernel, s, { refresh: () => this.refresh(), pause: () => this.clearTimer() });
    this.requests = new TabRequests(this.model, kernel, () => this._settings.maxBars);

    const sidebar = new Panel();
    sidebar.addClass('pl-Sidebar');
    sidebar.addWidget(new ControlsView(this.model, {
      setUniverse: (symbols) => void this.session.setUniverse(symbols),
      uploadCsv: (file, timeframe) => void this.requests.uploadCsv(file, timeframe),
      setFeedSource: (source) => void this.session.setFeedSource(source),
      refreshNow: () => void this.refresh(),
    }));
    this.header = new HeaderView(this.model, { restart: () => void this.restartKernel(), openNotebook: () => void this.openNotebook() });
    this.tabs = new TabPanel();
    this.tabs.addClass('pl-Tabs');
    this.prices = new PricesTab(this.model, () => this._settings.candles);
    const spread = new SpreadTab(this.model);
    const correlation = new CorrelationTab(this.model);
    const backtest = new BacktestTab(this.model, {
      runBacktest: () => void this.requests.runBacktest(),
      runParamSearch: (entry, exit) => void this.requests.runParamSearch(entry, exit),
      paper: (action) => void this.requests.paper(action),
      download: (what) => void this.requests.download(what),
    });
    this.tabViews = [
      new WatchlistTab(this.model, {
        openPair: (y, x) => this.openPair(y, x),
        add: (y, x) => void this.refreshWatchlist({ add: [{ y, x }] }),
        remove: (pair) => void this.refreshWatchlist({ remove: [pair] }),
      }),
      this.prices,
      spread,
      correlation,
      backtest,
      new AlertsTab(this.model),
      new FeedTab(this.model, () => void this.session.setFeedSource('simulated')),
      new OverviewTab(this.model, { scan: () => void this.requests.scan(), openPair: (y, x) => this.openPair(y, x) }),
    ];
    for (const tab of this.tabViews) this.tabs.addWidget(tab);
    this.baskets = new BasketTabs(this.model, kernel, this.tabs, { prices: this.prices, spread, correlation, backtest }, () => this._settings.maxBars);
    this.tabViews.push(...this.baskets.views);
    this.tabs.currentChanged.connect(() => this.onTabChanged());
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
    // When the panel grows (it is often first laid out narrow, while JupyterLab starts), the room goes to the charts:
    // with equal stretch the sidebar took half of it and pushed the header's buttons out of sight.
    SplitPanel.setStretch(sidebar, 0);
    SplitPanel.setStretch(main, 1);

    this.model.changed.connect((_, part) => {
      if (part === 'controls') {
        this.baskets.sync();
        this.onControlsChanged();
      }
      if (part === 'zoom') void this.fetchDetail();
    });
    kernel.stateChanged.connect((_, state) => this.onKernelState(state));
    kernel.reloaded.connect(() => { this.node.dataset.kernelLoads = String(++this._kernelLoads); });
    this.node.dataset.clock = clock.zone;
    clock.changed.connect(this.onClockChanged, this);
  }

  readonly model: PairsLabModel;
  readonly session: PanelSession;
  readonly requests: TabRequests;
  readonly header: HeaderView;
  readonly tabs: TabPanel;
  readonly prices: PricesTab;
  readonly tabViews: TabView[];
  readonly baskets: BasketTabs;
  /** The last refresh's timing; `null` until a snapshot was drawn. */
  lastTiming: IRefreshTiming | null = null;

  get kernel(): PanelKernel {
    return this.session.kernel;
  }

  /** The settings this panel runs with. */
  get settings(): Readonly<IPairsLabSettings> {
    return this._settings;
  }

  /** Starts the kernel; the library load then opens the session and the first refresh follows. */
  start(): Promise<void> {
    return this.session.start();
  }

  /**
   * Takes changed settings. The session settings (universe, data directory, feed source), bars per view and
   * candles drawn apply to this panel; the defaults of the controls are for new panels and leave these controls
   * as the user set them.
   */
  applySettings(settings: IPairsLabSettings): void {
    this._pendingSettings = Private.copySettings(settings);
    if (this._settingsTimer !== undefined) window.clearTimeout(this._settingsTimer);
    // The Settings Editor's form saves while the user types: wait for a pause, so that a half-typed path or symbol
    // neither opens a store nor restarts the recorder.
    this._settingsTimer = window.setTimeout(() => {
      this._settingsTimer = undefined;
      this.takeSettings();
    }, SETTINGS_SETTLE_MS);
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
      if (this.model.basketLegs) {
        if (await this.baskets.refresh()) this.countRefresh(this.model.basket.view?.bars ?? 0);
      } else {
        const reply = await this.kernel.request('snapshot', this.model.snapshotParams(this.settings.maxBars, this.overviewParams()));
        await this.applySnapshot(reply.data, reply.seq, view);
      }
      if (this._refreshMessage !== null && this.model.message('panel')?.text === this._refreshMessage) this.setPanelMessage(this._coveredNotice);
      this._refreshMessage = null;
      this._coveredNotice = null;
      this.adviseOnFeed();
    } catch (err) {
      const shown = this.model.message('panel');
      // A notice (e.g. which store a settings change opened) comes back once a passing failure clears up.
      if (shown?.level === 'info') this._coveredNotice = shown;
      if (err instanceof PanelRequestError && err.field && this.model.controls.autoRefresh) {
        // A refused view stays refused: wait for the user to change the control rather than retrying.
        this._refreshMessage = this.showError(err, 'The kernel refused the view');
        return;
      }
      this._refreshMessage = this.showError(err, 'Refresh failed');
    } finally {
      // every watched pair is refreshed and alerted with the pair on screen, whichever tab is shown; on its own
      // request, so a slow or failed watchlist never holds up the pair on screen
      if (!this._watchInFlight) void this.refreshWatchlist();
      // the paper books step in the kernel on their own; the Live section shows them while the Backtest tab is open
      if (this.backtestShown()) void this.refreshPaper();
      this._refreshing = false;
    }
    if (this._refreshAgain) {
      this._refreshAgain = false;
      void this.refresh();
    } else {
      this.scheduleRefresh();
    }
  }

  /**
   * How a long view is sent: lines at about the charts' resolution, and in full the newest bars, more than the
   * candles drawn (zooming into older bars fetches their detail).
   */
  private overviewParams(): { buckets: number; tailBars: number } {
    const width = this.tabs.node.clientWidth || 1200;
    return { buckets: Math.max(300, Math.min(2000, Math.round(width))), tailBars: Math.max(1000, this._settings.candles + 200) };
  }

  /** Fetches the detail of the zoomed range when the bars held draw it more coarsely than the pixels can show. */
  private async fetchDetail(): Promise<void> {
    if (this._detailInFlight) {
      this._detailAgain = true;
      return;
    }
    const params = this.model.detailParams();
    if (!params) return;
    this._detailInFlight = true;
    const view = this.model.viewKey();
    try {
      const reply = await this.kernel.request('seriesRange', params);
      this.model.applyRange(reply.data, view);
      this.node.dataset.detailFetches = String(++this._detailFetches);
    } catch (err) {
      this.showError(err, 'The zoomed range could not be fetched in detail');
    } finally {
      this._detailInFlight = false;
    }
    if (this._detailAgain) {
      this._detailAgain = false;
      void this.fetchDetail();
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
    this.lastTiming = { renderMs, modelMs, bars: this.model.bars, points };
    this.node.dataset.renderMs = renderMs.toFixed(1);
    this.node.dataset.thinned = String(this.model.history.overview !== null);
    this.countRefresh(this.lastTiming.bars);
    // a chart kept its zoom across a full reply, which drops the detail held
    if (data.full) void this.fetchDetail();
    return this.lastTiming;
  }

  /** Marks a drawn refresh of a view of `bars` bars, for the status line and the browser tests. */
  private countRefresh(bars: number): void {
    this.node.dataset.bars = String(bars);
    this.node.dataset.refreshes = String(++this._refreshCount);
  }

  restartKernel(): Promise<void> {
    return this.session.restart();
  }

  /** Redraws every tab's charts, e.g. after the theme changed. */
  redraw(): void {
    for (const tab of this.tabViews) void tab.redrawCharts();
  }

  override dispose(): void {
    if (this.isDisposed) return;
    clock.changed.disconnect(this.onClockChanged, this);
    this.clearTimer();
    if (this._settingsTimer !== undefined) window.clearTimeout(this._settingsTimer);
    this.session.dispose();
    super.dispose();
  }

  private takeSettings(): void {
    const next = this._pendingSettings;
    if (!next) return;
    this._pendingSettings = null;
    const before = this._settings;
    this._settings = next;
    if (next.candles !== before.candles) void this.prices.redrawCharts();
    if (next.maxBars !== before.maxBars) {
      this.model.maxBars = next.maxBars;
      // A full reload: an incremental one would keep the bars of the old length.
      this.model.resetSeq();
      if (this.model.config) void this.refresh();
    }
    void this.session.applySettings(next);
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

  /** Every time on screen moves to the other clock together: tables, cards, charts, the header and the message log. */
  private onClockChanged(): void {
    this.node.dataset.clock = clock.zone;
    this.header.render();
    for (const tab of this.tabViews) void tab.refresh();
  }

  private onTabChanged(): void {
    const current = this.tabs.currentWidget as TabView | null;
    if (current?.node.dataset.tab === 'alerts') void this.requests.loadAlertLog();
    if (this.backtestShown()) void this.refreshPaper();
  }

  /** The pair's Backtest tab is on screen (a basket has no paper book). */
  private backtestShown(): boolean {
    return !this.model.basketLegs && (this.tabs.currentWidget as TabView | null)?.node.dataset.tab === 'backtest';
  }

  private async refreshPaper(): Promise<void> {
    if (this._paperInFlight || !this.model.config || this.isDisposed) return;
    this._paperInFlight = true;
    try {
      await this.requests.paper('status');
    } finally {
      this._paperInFlight = false;
    }
  }

  private onKernelState(state: KernelState): void {
    this.header.setKernelState(state);
    this.node.dataset.kernelState = state;
  }

  private openPair(y: string, x: string): void {
    this.model.setControls({ y, x, legs: [] });
    this.tabs.currentWidget = this.prices;
  }

  /** Refreshes the watchlist (with edits, when given); alerts of pairs not on screen become notifications. */
  private async refreshWatchlist(edits: Pick<WatchlistParams, 'add' | 'remove'> = {}): Promise<void> {
    if (!this.model.config || this.isDisposed) return;
    const params = this.model.watchlistParams(edits);
    this._watchInFlight = true;
    try {
      const reply = await this.kernel.request('watchlist', params);
      if (!this.model.applyWatchlist(reply.data, reply.seq, params)) return;
      this.notifyAlerts(reply.data.alerts);
      if (this.model.message('watchlist')) this.model.setMessage('watchlist', null);
    } catch (err) {
      const what = edits.add ? `${edits.add.map((p) => `${p.y}/${p.x}`).join(', ')} was not added` : edits.remove ? `${edits.remove.join(', ')} was not removed` : 'The watchlist was not refreshed';
      this.model.setMessage('watchlist', { level: 'error', text: `${what}: ${messageOf(err)}` });
    } finally {
      this._watchInFlight = false;
    }
  }

  /** Alerts of watched pairs other than the one on screen become JupyterLab notifications, one per pair. */
  private notifyAlerts(alerts: AlertRow[]): void {
    const c = this.model.controls;
    const elsewhere = alerts.filter((a) => !(a.y === c.y && a.x === c.x));
    if (elsewhere.length === 0) return;
    this._alertNotices.notify(elsewhere);
    this.node.dataset.alertNotices = String(Number(this.node.dataset.alertNotices ?? 0) + elsewhere.length);
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

  private showError(err: unknown, what: string): string {
    return showError(this.model, err, what);
  }

  private setPanelMessage(message: IUserMessage | null): void {
    setPanelMessage(this.model, message);
  }

  private _settings: IPairsLabSettings;
  /** Settings waiting for the Settings Editor to settle. */
  private _pendingSettings: IPairsLabSettings | null = null;
  private _settingsTimer: number | undefined;
  private _timer: number | undefined;
  private _controlsTimer: number | undefined;
  private _refreshing = false;
  /** A watchlist request is on its way. */
  private _watchInFlight = false;
  private _paperInFlight = false;
  private _refreshAgain = false;
  private _detailInFlight = false;
  private _detailAgain = false;
  private _detailFetches = 0;
  /** The sidebar message the last failed refresh set; a successful refresh clears it. */
  private _refreshMessage: string | null = null;
  /** The notice that message covered; a successful refresh shows it again. */
  private _coveredNotice: IUserMessage | null = null;
  private _refreshCount = 0;
  private _kernelLoads = 0;
  private readonly _alertNotices = new AlertNotices(Notification, clock, (y, x) => this.openPair(y, x));
}

namespace Private {
  export function nextFrame(): Promise<void> {
    return new Promise((resolve) => requestAnimationFrame(() => resolve()));
  }

  export function copySettings(s: IPairsLabSettings): IPairsLabSettings {
    return { ...s, universe: [...s.universe] };
  }
}

