import { clock } from './clock';
import { PanelKernel, PanelRequestError } from './kernel';
import { messageOf, showError } from './messages';
import type { PairsLabModel } from './model';

/**
 * The requests the tabs and the CSV upload make on the user's demand: import, backtest, parameter search, CSV
 * export, universe scan and the alert log. Each reports in its own message area and writes its result to the model.
 */
export class TabRequests {
  constructor(private readonly model: PairsLabModel, private readonly kernel: PanelKernel, private readonly maxBars: () => number) {}

  async uploadCsv(file: File, timeframe: string): Promise<void> {
    this.model.setMessage('csv', { level: 'info', text: `Importing ${file.name}…` });
    try {
      const text = await file.text();
      const { data } = await this.kernel.request('importCsv', { text, timeframe, fileName: file.name });
      const config = await this.kernel.request('config', {});
      this.model.setConfig(config.data);
      const span = `${data.rows} bars of ${data.symbols.join(', ')} (${clock.dateTime(data.from)} to ${clock.dateTime(data.to)} ${clock.label})`;
      this.model.setMessage('csv', {
        level: 'info',
        text: data.alreadyImported
          ? `${file.name} was imported before: the store holds exactly these ${span}, so nothing was added. Pick them as Y and X to see them.`
          : `Imported ${span}. Pick them as Y and X to see them.`,
      });
    } catch (err) {
      const details = err instanceof PanelRequestError ? err.details ?? [] : [];
      this.model.setMessage('csv', {
        level: 'error',
        text: `${file.name} was not imported: ${messageOf(err)}${details.length ? ' Fix these lines and upload the file again:' : ''}`,
        lines: details.slice(0, 50).map((d) => `line ${d.line}${d.column ? ` (${d.column})` : ''}: ${d.reason}`),
      });
    }
  }

  async runBacktest(): Promise<void> {
    this.model.setMessage('backtest', { level: 'info', text: 'Running the backtest…' });
    try {
      const run = this.model.runStamp(0);
      const { data } = await this.kernel.request('backtest', this.strategyParams());
      this.model.setBacktest(data, { ...run, at: Date.now(), bars: data.time.length });
      this.model.setMessage('backtest', data.trades.length === 0 ? { level: 'warning', text: 'The strategy made no trades on these bars. Lower the entry threshold or wait for more bars.' } : null);
    } catch (err) {
      this.model.setMessage('backtest', { level: 'error', text: `The backtest did not run: ${messageOf(err)}` });
    }
  }

  /** Starts or stops the pair's paper book, or only reports the books (`status`); the reply lands in the model. */
  async paper(action: 'start' | 'stop' | 'status'): Promise<void> {
    if (action !== 'status') this.model.setMessage('paper', { level: 'info', text: action === 'start' ? 'Starting paper trading…' : 'Stopping the paper book…' });
    try {
      // a paper book always fills at the recorded quotes and pays recorded funding: the backtest's cost choices are not its
      const { funding: _f, fills: _x, ...params } = this.strategyParams();
      void _f; void _x;
      const { data } = await this.kernel.request('paper', { ...params, action });
      this.model.setPaper(data);
      if (action !== 'status') this.model.setMessage('paper', null);
    } catch (err) {
      const what = action === 'start' ? 'Paper trading did not start' : action === 'stop' ? 'The paper book was not stopped' : 'The paper books could not be read';
      this.model.setMessage('paper', { level: 'error', text: `${what}: ${messageOf(err)}` });
    }
  }

  async runParamSearch(entry: number[], exit: number[]): Promise<void> {
    this.model.setMessage('backtest', { level: 'info', text: `Searching ${entry.length * exit.length} parameter sets…` });
    const { entry: _e, exit: _x, stop: _s, funding: _f, fills: _p, ...base } = this.strategyParams();
    void _e; void _x; void _s; void _f; void _p;
    // the search reads the bars of the view on screen (same pair, settings and bar limit)
    const run = this.model.runStamp(this.model.bars);
    try {
      const { data } = await this.kernel.request('paramSearch', { ...base, grid: { entry, exit }, validation: { mode: 'walkForward', folds: 4 }, objective: 'sharpe' });
      this.model.setParamSearch(data, { ...run, at: Date.now() });
      this.model.setMessage('backtest', null);
    } catch (err) {
      this.model.setMessage('backtest', { level: 'error', text: `The parameter search did not run: ${messageOf(err)}` });
    }
  }

  async download(what: 'analytics' | 'trades' | 'bars'): Promise<void> {
    const params = what === 'trades' ? this.strategyParams() : (({ entry: _e, exit: _x, stop: _s, ...rest }) => rest)(this.strategyParams());
    try {
      const timeZone = clock.zone === 'local' ? Intl.DateTimeFormat().resolvedOptions().timeZone : undefined;
      const { data } = await this.kernel.request('exportCsv', { ...params, what, ...(timeZone ? { timeZone } : {}) });
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
      this.model.setMessage('backtest', { level: 'error', text: `The CSV was not exported: ${messageOf(err)}` });
    }
  }

  async scan(): Promise<void> {
    this.model.setMessage('overview', { level: 'info', text: 'Scanning the universe…' });
    try {
      const { data } = await this.kernel.request('scan', { timeframe: this.model.controls.timeframe, minVolume: this.model.controls.minVolume, maxBars: this.maxBars() });
      const bars = Math.max(0, ...data.rows.map((r) => r.bars));
      this.model.setScan(data, { at: Date.now(), bars, barsText: `on up to ${bars} bars per pair of ${data.timeframe}` });
      this.model.setMessage('overview', data.rows.length === 0 ? { level: 'warning', text: 'No pair has enough bars yet on this timeframe. Wait for the feed, pick a longer range, or upload bars.' } : null);
    } catch (err) {
      this.model.setMessage('overview', { level: 'error', text: `The scan did not run: ${messageOf(err)}` });
    }
  }

  /** The whole alert log (newest 500), e.g. when the Alerts tab is opened. */
  async loadAlertLog(): Promise<void> {
    try {
      const { data } = await this.kernel.request('alerts', { limit: 500 });
      this.model.addAlerts(data.alerts, true);
    } catch (err) {
      showError(this.model, err, 'The alert log could not be read');
    }
  }

  private strategyParams() {
    const s = this.model.strategy;
    const c = this.model.controls;
    return {
      y: c.y, x: c.x, timeframe: c.timeframe, window: c.window, hedge: c.hedge, minVolume: c.minVolume, maxBars: this.maxBars(),
      entry: s.entry, exit: s.exit, ...(s.stop !== null ? { stop: s.stop } : {}), feeBps: s.feeBps, slippageBps: s.slippageBps, notional: s.notional,
      ...(s.funding ? { funding: s.funding } : {}), ...(s.fills ? { fills: s.fills } : {}),
    };
  }
}

