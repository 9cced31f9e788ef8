import { clock, offsetLabel } from '../clock';
import { Widget } from '@lumino/widgets';
import type { PairsLabModel } from '../model';
import type { IControls } from '../tokens';
import { TIMEFRAME_PATTERN, type FeedSource, type HedgeMethod } from '../protocol';
import { normalizeSymbols, universeProblem } from '../universe';
import { button, checkbox, el, field, numberInput, renderMessage, select, setOptions } from './dom';
import { renderMessageLog } from './messageLog';
import { LegList } from './legList';

const PRESET_TIMEFRAMES = ['1s', '1m', '5m'];

/** What the controls ask the panel to do beyond changing the model. */
export interface IControlActions {
  setUniverse(symbols: string[]): void;
  uploadCsv(file: File, timeframe: string): void;
  setFeedSource(source: FeedSource | 'none'): void;
  refreshNow(): void;
}

/** The sidebar: every control with its help text. Writes the model; the panel reacts to model changes. */
export class ControlsView extends Widget {
  constructor(private readonly model: PairsLabModel, private readonly actions: IControlActions) {
    super();
    this.addClass('pl-Controls');
    const c = model.controls;

    this._y = select([], c.y);
    this._x = select([], c.x);
    this._legs = new LegList(model, { set: (patch) => this.set(patch), showError: (text) => this.showError(text) });
    this._universe = el('input', { type: 'text', class: 'jp-mod-styled', value: '' });
    this._timeframe = select([...PRESET_TIMEFRAMES.map((t): [string, string] => [t, t]), ['custom', 'custom…']], PRESET_TIMEFRAMES.includes(c.timeframe) ? c.timeframe : 'custom');
    this._customTimeframe = el('input', { type: 'text', class: 'jp-mod-styled', value: PRESET_TIMEFRAMES.includes(c.timeframe) ? '' : c.timeframe, placeholder: 'e.g. 15s, 15m, 1h' });
    this._window = el('input', { type: 'range', min: 20, max: 200, step: 1, value: String(c.window) });
    this._windowValue = el('span', { class: 'pl-RangeValue' }, String(c.window));
    this._z = el('input', { type: 'range', min: 1, max: 3, step: 0.1, value: String(c.zThreshold) });
    this._zValue = el('span', { class: 'pl-RangeValue' }, c.zThreshold.toFixed(1));
    this._spreadOn = checkbox(c.spreadAlertEnabled);
    this._spread = numberInput(c.spreadWidth, 0, 1e9, 'any');
    this._corrOn = checkbox(c.correlationAlertEnabled);
    this._corr = numberInput(c.minCorrelation, -1, 1, 0.05);
    this._minVolume = numberInput(c.minVolume, 0, 1e12, 'any');
    this._hedge = select([['huber', 'Huber (robust)'], ['ols', 'OLS'], ['kalman', 'Kalman (time-varying)']], c.hedge);
    this._hedgeWindow = el('input', { type: 'number', class: 'jp-mod-styled', min: 3, max: 1_000_000, step: 1, value: c.hedgeWindow === null ? '' : String(c.hedgeWindow), placeholder: 'auto: 10 × window' });
    this._auto = checkbox(c.autoRefresh);
    this._interval = numberInput(c.refreshIntervalMs / 1000, 0.25, 600, 0.25);
    this._csvFile = el('input', { type: 'file', accept: '.csv,text/csv' });
    this._csvTimeframe = el('input', { type: 'text', class: 'jp-mod-styled', value: '1m' });
    this._clock = select([['utc', 'UTC'], ['local', `Local time (${offsetLabel(Date.now())})`]], clock.zone);
    this._feed = select([['binance', 'Binance USD-M futures'], ['simulated', 'Simulated exchange'], ['none', 'None (only read the store)']], 'binance');
    this._message = el('div', { 'data-message': 'panel' });
    this._csvMessage = el('div', { 'data-message': 'csv' });
    this._messageLog = el('details', { class: 'pl-MessageLog', 'data-message-log': 'panel' });

    const section = (title: string, ...children: HTMLElement[]) => el('fieldset', { class: 'pl-Section' }, el('legend', {}, title), ...children);
    const upload = button('Upload CSV', 'upload-csv', 'Import the chosen file of OHLC bars into the store');
    const refresh = button('Refresh now', 'refresh', 'Ask the kernel for new bars now');

    this.node.append(
      this._message,
      this._messageLog,
      section('Pair',
        field('y', 'Y symbol', 'The dependent leg: spread = Y − hedge ratio · X.', this._y),
        field('x', 'X symbol', 'The independent (hedge) leg.', this._x),
        this._legs.node,
        field('universe', 'Universe', 'Symbols offered above, comma-separated (Binance USD-M, e.g. BTCUSDT; uploaded data may use _ and -). Press Enter to apply.', this._universe)),
      section('Bars',
        field('timeframe', 'Timeframe', 'Bar length. "custom" takes a count and a unit s, m or h.', this._timeframe),
        field('custom-timeframe', 'Custom timeframe', 'For example 15s, 15m or 1h. Press Enter to apply.', this._customTimeframe),
        field('min-volume', 'Minimum volume', 'Bars of either leg with less volume are treated as missing (0: off).', this._minVolume)),
      section('Analytics',
        field('window', 'Rolling window', 'Bars in the rolling mean and std of the spread, and in the rolling correlation (20–200).', el('div', { class: 'pl-Range' }, this._window, this._windowValue)),
        field('hedge', 'Hedge method', 'Huber is robust to outliers; OLS is least squares; Kalman lets the ratio drift over time.', this._hedge),
        field('hedge-window', 'Hedge window (bars)', 'Trailing bars the Huber/OLS hedge ratio is fitted on (3 or more; empty: 10 × the rolling window). Until that many bars exist, it is fitted on all bars so far, flagged on the Spread tab.', this._hedgeWindow)),
      section('Alerts',
        field('z-threshold', 'Z-score threshold', 'Alert when |z| reaches this (1.0–3.0); also the dashed lines on the z-score chart.', el('div', { class: 'pl-Range' }, this._z, this._zValue)),
        field('spread-alert', 'Spread-width alert', 'Alert when |spread| (centred on 0) reaches the width below.', this._spreadOn),
        field('spread-width', 'Spread width', 'In price units of Y.', this._spread),
        field('correlation-alert', 'Correlation alert', 'Alert when the rolling correlation falls below the minimum below.', this._corrOn),
        field('min-correlation', 'Minimum correlation', 'Between −1 and 1.', this._corr)),
      section('Refresh',
        field('auto-refresh', 'Auto-refresh', 'Ask the kernel for new bars on a timer. Turn off to study a fixed picture.', this._auto),
        field('interval', 'Interval (s)', 'Seconds between refreshes, 0.25 or more.', this._interval),
        field('time-zone', 'Times', 'The clock of every time shown: axes, tables, the header, messages and CSV downloads. Default from the setting "Times shown in".', this._clock),
        refresh),
      section('Data',
        field('feed', 'Feed source', 'Where the kernel records trades from. The simulated exchange is always labelled as such.', this._feed),
        field('csv-file', 'CSV of OHLC bars', 'Columns: timestamp,symbol,open,high,low,close,volume (timestamp in ISO 8601 or epoch ms). Problems are listed by line.', this._csvFile),
        field('csv-timeframe', 'Bar length of the file', 'For example 1m; the rows must be bars of this length.', this._csvTimeframe),
        upload,
        this._csvMessage),
    );

    this._y.addEventListener('change', () => this.setPair('y', this._y.value));
    this._x.addEventListener('change', () => this.setPair('x', this._x.value));
    this._universe.addEventListener('keydown', (e) => { if (e.key === 'Enter') this.applyUniverse(); });
    this._universe.addEventListener('change', () => this.applyUniverse());
    this._timeframe.addEventListener('change', () => this.applyTimeframe());
    this._customTimeframe.addEventListener('keydown', (e) => { if (e.key === 'Enter') this.applyTimeframe(); });
    this._customTimeframe.addEventListener('change', () => this.applyTimeframe());
    this._window.addEventListener('input', () => { this._windowValue.textContent = this._window.value; });
    this._window.addEventListener('change', () => this.set({ window: Number(this._window.value) }));
    this._z.addEventListener('input', () => { this._zValue.textContent = Number(this._z.value).toFixed(1); });
    this._z.addEventListener('change', () => this.set({ zThreshold: Number(this._z.value) }));
    this._spreadOn.addEventListener('change', () => this.set({ spreadAlertEnabled: this._spreadOn.checked }));
    this._spread.addEventListener('change', () => this.setNumber('spreadWidth', this._spread, 0, Infinity, 'Spread width must be a number of 0 or more.'));
    this._corrOn.addEventListener('change', () => this.set({ correlationAlertEnabled: this._corrOn.checked }));
    this._corr.addEventListener('change', () => this.setNumber('minCorrelation', this._corr, -1, 1, 'Minimum correlation must be between −1 and 1.'));
    this._minVolume.addEventListener('change', () => this.setNumber('minVolume', this._minVolume, 0, Infinity, 'Minimum volume must be a number of 0 or more.'));
    this._hedge.addEventListener('change', () => this.set({ hedge: this._hedge.value as HedgeMethod }));
    this._hedgeWindow.addEventListener('change', () => this.applyHedgeWindow());
    this._auto.addEventListener('change', () => this.set({ autoRefresh: this._auto.checked }));
    this._interval.addEventListener('change', () => {
      const seconds = Number(this._interval.value);
      if (!Number.isFinite(seconds) || seconds < 0.25) {
        this.showError('The refresh interval must be 0.25 s or more.');
        return;
      }
      this.set({ refreshIntervalMs: Math.round(seconds * 1000) });
    });
    this._feed.addEventListener('change', () => actions.setFeedSource(this._feed.value as FeedSource | 'none'));
    refresh.addEventListener('click', () => actions.refreshNow());
    this._clock.addEventListener('change', () => clock.setZone(this._clock.value === 'local' ? 'local' : 'utc'));
    clock.changed.connect(this.onClockChanged, this);
    upload.addEventListener('click', () => this.upload());
    model.changed.connect((_, part) => {
      if (part === 'config' || part === 'controls') this.syncFromModel();
      if (part === 'message') {
        renderMessage(this._message, model.message('panel'));
        renderMessage(this._csvMessage, model.message('csv'));
        renderMessageLog(this._messageLog, model.messageLog);
      }
      if (part === 'config' || part === 'health') this._feed.value = recordingSource(model) ?? this._feed.value;
    });
    this.syncFromModel();
    renderMessage(this._message, null);
    renderMessage(this._csvMessage, null);
    renderMessageLog(this._messageLog, model.messageLog);
  }

  override dispose(): void {
    clock.changed.disconnect(this.onClockChanged, this);
    super.dispose();
  }

  private onClockChanged(): void {
    this._clock.value = clock.zone;
    renderMessageLog(this._messageLog, this.model.messageLog);
  }

  private syncFromModel(): void {
    const c = this.model.controls;
    const universe = this.model.config?.universe ?? [c.y, c.x];
    const options = [...new Set([...universe, c.y, c.x])].map((s): [string, string] => [s, s]);
    setOptions(this._y, options, c.y);
    setOptions(this._x, options, c.x);
    this._legs.sync(universe);
    if (document.activeElement !== this._universe) this._universe.value = universe.join(', ');
    const preset = PRESET_TIMEFRAMES.includes(c.timeframe);
    this._timeframe.value = preset ? c.timeframe : 'custom';
    this._customTimeframe.disabled = preset && this._timeframe.value !== 'custom';
    if (!preset) this._customTimeframe.value = c.timeframe;
    this._spread.disabled = !c.spreadAlertEnabled;
    this._corr.disabled = !c.correlationAlertEnabled;
    this._interval.disabled = !c.autoRefresh;
    this._hedgeWindow.disabled = c.hedge === 'kalman';
    if (document.activeElement !== this._hedgeWindow) this._hedgeWindow.value = c.hedgeWindow === null ? '' : String(c.hedgeWindow);
  }

  private applyHedgeWindow(): void {
    const text = this._hedgeWindow.value.trim();
    if (text === '') {
      this.set({ hedgeWindow: null });
      return;
    }
    const bars = Number(text);
    if (!Number.isInteger(bars) || bars < 3 || bars > 1_000_000) {
      this.showError(`Hedge window must be a whole number of bars from 3 to 1,000,000 (got "${text}"); leave it empty for 10 × the rolling window.`);
      const c = this.model.controls;
      this._hedgeWindow.value = c.hedgeWindow === null ? '' : String(c.hedgeWindow);
      return;
    }
    this.set({ hedgeWindow: bars });
  }

  private set(patch: Partial<IControls>): void {
    this.model.setMessage('panel', null);
    this.model.setControls(patch);
  }

  private setPair(leg: 'y' | 'x', symbol: string): void {
    const other = leg === 'y' ? this.model.controls.x : this.model.controls.y;
    if (symbol === other) {
      this.showError(`Y and X must be different symbols; pick another ${leg === 'y' ? 'Y' : 'X'}.`);
      this.syncFromModel();
      return;
    }
    if (this.model.controls.legs.includes(symbol)) {
      this.showError(`${symbol} is an added leg already; every leg of a basket must be a different symbol. Pick another ${leg === 'y' ? 'Y' : 'X'}.`);
      this.syncFromModel();
      return;
    }
    this.set({ [leg]: symbol });
  }

  private setNumber(key: 'spreadWidth' | 'minCorrelation' | 'minVolume', input: HTMLInputElement, min: number, max: number, error: string): void {
    const value = Number(input.value);
    if (input.value.trim() === '' || !Number.isFinite(value) || value < min || value > max) {
      this.showError(error);
      input.value = String(this.model.controls[key]);
      return;
    }
    this.set({ [key]: value });
  }

  private applyTimeframe(): void {
    if (this._timeframe.value !== 'custom') {
      this._customTimeframe.disabled = true;
      this.set({ timeframe: this._timeframe.value });
      return;
    }
    this._customTimeframe.disabled = false;
    const value = this._customTimeframe.value.trim();
    if (value === '') {
      this._customTimeframe.focus();
      return;
    }
    if (!TIMEFRAME_PATTERN.test(value)) {
      this.showError(`"${value}" is not a timeframe. Write a count and a unit s, m or h, for example 15s or 5m.`);
      return;
    }
    this.set({ timeframe: value });
  }

  private applyUniverse(): void {
    const symbols = normalizeSymbols(this._universe.value);
    const current = this.model.config?.universe ?? [];
    if (symbols.join(',') === current.join(',')) return;
    const problem = universeProblem(symbols);
    if (problem) {
      this.showError(problem);
      return;
    }
    this.actions.setUniverse(symbols);
  }

  private upload(): void {
    const file = this._csvFile.files?.[0];
    const timeframe = this._csvTimeframe.value.trim();
    if (!file) {
      this.model.setMessage('csv', { level: 'error', text: 'Choose a CSV file first.' });
      return;
    }
    if (!TIMEFRAME_PATTERN.test(timeframe)) {
      this.model.setMessage('csv', { level: 'error', text: `"${timeframe}" is not a bar length. Write a count and a unit s, m or h, for example 1m.` });
      return;
    }
    this.actions.uploadCsv(file, timeframe);
  }

  private showError(text: string): void {
    this.model.setMessage('panel', { level: 'error', text });
  }

  private _y: HTMLSelectElement;
  private _legs: LegList;
  private _x: HTMLSelectElement;
  private _universe: HTMLInputElement;
  private _timeframe: HTMLSelectElement;
  private _customTimeframe: HTMLInputElement;
  private _window: HTMLInputElement;
  private _windowValue: HTMLSpanElement;
  private _z: HTMLInputElement;
  private _zValue: HTMLSpanElement;
  private _spreadOn: HTMLInputElement;
  private _spread: HTMLInputElement;
  private _corrOn: HTMLInputElement;
  private _corr: HTMLInputElement;
  private _minVolume: HTMLInputElement;
  private _hedge: HTMLSelectElement;
  private _auto: HTMLInputElement;
  private _interval: HTMLInputElement;
  private _csvFile: HTMLInputElement;
  private _csvTimeframe: HTMLInputElement;
  private _feed: HTMLSelectElement;
  private _message: HTMLDivElement;
  private _clock: HTMLSelectElement;
  private _hedgeWindow: HTMLInputElement;
  private _messageLog: HTMLDetailsElement;
  private _csvMessage: HTMLDivElement;
}

/** What records the store now: this kernel's recorder, an attached one, or nobody (`none`); undefined before health is known. */
function recordingSource(model: PairsLabModel): FeedSource | 'none' | undefined {
  const h = model.health;
  // a stopped recorder's health file still names the source it had
  const live = h && (h.state === 'recording' || h.state === 'attached') ? h.source : null;
  return live ?? model.config?.feed ?? (h ? 'none' : undefined);
}
