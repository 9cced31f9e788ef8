import type { Message } from '@lumino/messaging';
import type { Data } from 'plotly.js';
import { clock } from '../clock';
import type { PairsLabModel } from '../model';
import type { BacktestData, ParamSearchData, ParamSearchRow, TradeRow } from '../protocol';
import type { IThemeColors } from '../plotly';
import type { Figure } from '../chart';
import { button, duration, el, field, fmt, pct, renderMessage, table, clockTime, timeTitle } from './dom';
import { TabView } from './tab';
import { waitingText, warmupOf } from './warmup';
import { costModelTitle, costRows } from './backtestCosts';
import { runStampText } from '../runStamp';
import { PaperLive } from './paperLive';
import { StrategyForm } from './strategyForm';
import { drawdownFigure, equityFigure, metricsTable } from './backtestFigures';
import { ouStrategyLevels } from './ouLevels';

export interface IBacktestActions {
  runBacktest(): void;
  runParamSearch(entry: number[], exit: number[]): void;
  paper(action: 'start' | 'stop'): void;
  download(what: 'analytics' | 'trades' | 'bars'): void;
}

const PREVIEW_ROWS = 15;

const OBJECTIVE: Record<ParamSearchData['objective'], string> = { sharpe: 'Sharpe', totalReturn: 'total return', calmar: 'Calmar' };

/** Backtest & Export: strategy settings, equity and drawdown, metrics, trades, parameter search, preview and CSV downloads. */
export class BacktestTab extends TabView {
  constructor(model: PairsLabModel, private readonly actions: IBacktestActions) {
    super(model, 'backtest', 'Backtest & Export', ['backtest', 'paper', 'paramSearch', 'series', 'message']);
    const form = this.block('pl-Form');
    this._form = new StrategyForm(model, form);
    const run = button('Run backtest', 'run-backtest');
    const useOu = button('Use OU levels', 'use-ou-levels', 'Entry |z| = Bertram\'s OU level from the Spread tab and exit = −entry (Bertram sells at the mirror level, past the mean), then run the backtest');
    form.append(run, useOu);
    run.addEventListener('click', () => { if (this.readStrategy()) actions.runBacktest(); });
    useOu.addEventListener('click', () => this.useOuLevels());
    this._message = this.block('pl-Message');
    this._message.dataset.message = 'backtest';
    this._metrics = this.block('pl-TableBlock');
    this._costs = this.block('pl-TableBlock');
    this.chart('equity', (c, v) => equityFigure(this.model.backtest, c, v), 'Run a backtest to see its equity curve.', 240);
    this.chart('drawdown', (c, v) => drawdownFigure(this.model.backtest, c, v), 'Run a backtest to see its drawdown.', 180);
    this._trades = this.block('pl-TableBlock pl-mod-scroll');

    const live = this.block('pl-TableBlock pl-PaperLive');
    live.dataset.section = 'paper';
    this._paper = new PaperLive(model, live, {
      start: () => { if (this.readStrategy()) actions.paper('start'); },
      stop: () => actions.paper('stop'),
    });
    this.chart('paper-equity', (c, v) => this._paper.equityFigure(c, v), 'Start paper trading to see the book\'s equity.', 200);

    const search = this.block('pl-Form');
    this._gridEntry = el('input', { type: 'text', class: 'jp-mod-styled', value: '1.5, 2, 2.5' });
    this._gridExit = el('input', { type: 'text', class: 'jp-mod-styled', value: '0, 0.5' });
    const runSearch = button('Run parameter search', 'run-search');
    search.append(
      el('h4', {}, 'Parameter search (walk-forward, out-of-sample Sharpe)'),
      field('grid-entry', 'Entry values', 'Comma-separated |z| entry levels to try.', this._gridEntry),
      field('grid-exit', 'Exit values', 'Comma-separated exit levels; each is paired with the entries it is below and at least −entry of (negative: past the mean).', this._gridExit),
      runSearch,
    );
    runSearch.addEventListener('click', () => this.search());
    this._searchRun = this.block('pl-RunBlock');
    this.chart('search-heatmap', (c) => this.heatmapFigure(c), 'Run a parameter search to see its heat-map.', 260);
    this._searchRows = this.block('pl-TableBlock pl-mod-scroll');

    const exports = this.block('pl-Form');
    const dlAnalytics = button('Download analytics CSV', 'download-analytics', 'Time, closes, hedge ratio, spread, z-score and correlation');
    const dlTrades = button('Download trades CSV', 'download-trades', 'The trade list of the current strategy settings');
    exports.append(el('h4', {}, 'Analytics preview and export'), dlAnalytics, dlTrades);
    dlAnalytics.addEventListener('click', () => actions.download('analytics'));
    dlTrades.addEventListener('click', () => { if (this.readStrategy()) actions.download('trades'); });
    this._preview = this.block('pl-TableBlock');
  }

  protected override onAfterAttach(msg: Message): void {
    super.onAfterAttach(msg);
    this._form.load();
  }

  protected render(): void {
    renderMessage(this._message, this.model.message('backtest'));
    this._paper.render();
    this.renderMetrics();
    this.renderCosts();
    this.renderTrades();
    this.renderSearchRows();
    this.renderPreview();
  }

  /** Fills entry/exit from the OU levels and runs the backtest, or says why they cannot be used. */
  private useOuLevels(): void {
    const levels = ouStrategyLevels(this.model.metrics?.ou);
    if ('reason' in levels) {
      this.model.setMessage('backtest', { level: 'error', text: levels.reason });
      return;
    }
    this._form.setLevels(levels.entry, levels.exit);
    if (this.readStrategy()) this.actions.runBacktest();
  }

  private readStrategy(): boolean {
    return this._form.read();
  }

  private search(): void {
    const parse = (text: string) => text.split(/[\s,;]+/).filter(Boolean).map(Number);
    const entry = parse(this._gridEntry.value);
    const exit = parse(this._gridExit.value);
    if (!entry.length || !exit.length || entry.some((v) => !Number.isFinite(v) || v < 0 || v > 20) || exit.some((v) => !Number.isFinite(v) || v < -20 || v > 20)) {
      this.model.setMessage('backtest', { level: 'error', text: 'Entry values must be numbers between 0 and 20 and exit values between −20 and 20, e.g. "1.5, 2, 2.5".' });
      return;
    }
    if (!this.readStrategy()) return;
    this.actions.runParamSearch(entry, exit);
  }

  private renderMetrics(): void {
    const m = this.model.backtest?.metrics;
    if (!m) { this._metrics.replaceChildren(); return; }
    const b = this.model.backtest as BacktestData;
    this._metrics.replaceChildren(el('h4', {}, `Backtest metrics${b.simulated ? ' (simulated data)' : ''}`),
      ...this.runNote('backtest'),
      ...metricsTable(m, b.time, this.model.runs.backtest?.view?.timeframe ?? this.model.controls.timeframe));
    this._metrics.dataset.trades = String(m.trades);
  }

  /** Fees, spread, slippage and funding, with the cost model the kernel used and why. */
  private renderCosts(): void {
    const b = this.model.backtest;
    if (!b?.costs || !b.costModel) { this._costs.replaceChildren(); return; }
    this._costs.replaceChildren(el('h4', {}, 'Costs'),
      el('p', { class: 'pl-Notice', 'data-cost-model': `${b.costModel.funding} ${b.costModel.fills}` }, `${costModelTitle(b.costModel)} ${b.costModel.note}`),
      table<[string, string]>([{ title: 'cost', value: (r) => r[0] }, { title: 'quote currency', value: (r) => r[1], numeric: true }], costRows(b.costs)));
  }

  private renderTrades(): void {
    const trades = this.model.backtest?.trades;
    if (!trades) { this._trades.replaceChildren(); return; }
    this._trades.replaceChildren(el('h4', {}, `Trades (${trades.length})`), table<TradeRow>([
      { title: timeTitle('entry'), value: (t) => clockTime(t.entryTime) },
      { title: timeTitle('exit'), value: (t) => clockTime(t.exitTime) },
      { title: 'side', value: (t) => t.side },
      { title: 'entry Y', value: (t) => fmt(t.entryY), numeric: true },
      { title: 'entry X', value: (t) => fmt(t.entryX), numeric: true },
      { title: 'exit Y', value: (t) => fmt(t.exitY), numeric: true },
      { title: 'exit X', value: (t) => fmt(t.exitX), numeric: true },
      { title: 'fees', value: (t) => fmt(t.fees, 2), numeric: true },
      { title: 'funding', value: (t) => fmt(t.funding, 2), numeric: true },
      { title: 'P&L', value: (t) => fmt(t.pnl, 2), numeric: true },
      { title: 'held', value: (t) => duration(t.holdMs) },
      { title: 'exit reason', value: (t) => t.exitReason },
    ], trades.slice(-200).reverse()));
  }

  private renderSearchRows(): void {
    const rows = this.model.paramSearch?.rows;
    this._searchRun.replaceChildren(...this.runNote('paramSearch'));
    if (!rows) { this._searchRows.replaceChildren(); return; }
    this._searchRows.replaceChildren(table<ParamSearchRow>([
      { title: 'entry', value: (r) => fmt(r.entry, 2), numeric: true },
      { title: 'exit', value: (r) => fmt(r.exit, 2), numeric: true },
      { title: 'window', value: (r) => String(r.window), numeric: true },
      { title: 'hedge', value: (r) => r.hedge },
      { title: 'in-sample Sharpe', value: (r) => fmt(r.inSample.sharpe, 2), numeric: true },
      { title: 'out-of-sample Sharpe', value: (r) => fmt(r.outOfSample.sharpe, 2), numeric: true },
      { title: 'out-of-sample return', value: (r) => pct(r.outOfSample.totalReturn), numeric: true },
      { title: 'out-of-sample trades', value: (r) => String(r.outOfSample.trades), numeric: true },
    ], rows.slice(0, 50)));
  }

  private renderPreview(): void {
    const s = this.model.series;
    if (!s || s.time.length === 0) { this._preview.replaceChildren(el('p', {}, 'No analytics yet for this pair.')); return; }
    const idx: number[] = [];
    for (let i = s.time.length - 1; i >= Math.max(0, s.time.length - PREVIEW_ROWS); i--) idx.push(i);
    const waiting = waitingText(warmupOf(this.model), 'zscore');
    this._preview.replaceChildren(...(waiting ? [el('p', { class: 'pl-Hint', 'data-waiting': 'zscore' }, `${waiting} Until then the rows show — for what is not defined yet.`)] : []), table<number>([
      { title: timeTitle(), value: (i) => clockTime(s.time[i]) },
      { title: `${this.model.controls.y} close`, value: (i) => fmt(s.y.close[i]), numeric: true },
      { title: `${this.model.controls.x} close`, value: (i) => fmt(s.x.close[i]), numeric: true },
      { title: 'hedge ratio', value: (i) => fmt(s.hedgeRatio[i]), numeric: true },
      { title: 'spread', value: (i) => fmt(s.spread[i]), numeric: true },
      { title: 'z', value: (i) => fmt(s.zScore[i], 3), numeric: true },
      { title: 'correlation', value: (i) => fmt(s.correlation[i], 3), numeric: true },
    ], idx));
  }

  /** When the result on screen was computed and on how many bars (nothing before the first run). */
  private runNote(what: 'backtest' | 'paramSearch'): HTMLElement[] {
    const run = this.model.runs[what];
    return run ? [el('p', { class: 'pl-RunNote', 'data-run': what }, runStampText(run, clock, this.model.currentView()))] : [];
  }

  private heatmapFigure(colors: IThemeColors): Figure | null {
    const h = this.model.paramSearch?.heatmap;
    if (!h || h.x.length === 0) return null;
    void colors;
    return {
      data: [{ type: 'heatmap', x: h.x, y: h.y, z: h.z, colorscale: 'RdYlGn', colorbar: { title: { text: OBJECTIVE[this.model.paramSearch?.objective ?? 'sharpe'] } } } as Data],
      layout: { title: { text: `Out-of-sample ${OBJECTIVE[this.model.paramSearch?.objective ?? 'sharpe']} by entry and exit |z| (best over the other parameters)`, font: { size: 12 } }, xaxis: { title: { text: h.xLabel }, type: 'category' }, yaxis: { title: { text: h.yLabel }, type: 'category' } },
    };
  }

  private readonly _paper: PaperLive;
  private _form: StrategyForm;
  private _message: HTMLDivElement;
  private _metrics: HTMLDivElement;
  private _costs: HTMLDivElement;
  private _trades: HTMLDivElement;
  private _gridEntry: HTMLInputElement;
  private _gridExit: HTMLInputElement;
  private _searchRun: HTMLDivElement;
  private _searchRows: HTMLDivElement;
  private _preview: HTMLDivElement;
}
