import type { Message } from '@lumino/messaging';
import { clock } from '../clock';
import type { PairsLabModel } from '../model';
import { button, el, fmt, renderMessage, table } from './dom';
import { BasketTabView } from './basketTab';
import { StrategyForm } from './strategyForm';
import { drawdownFigure, equityFigure, metricsTable } from './backtestFigures';
import { costRows } from './backtestCosts';

/** Backtest of a basket: the strategy form, then the run's metrics, costs per leg, equity and drawdown. */
export class BasketBacktestTab extends BasketTabView {
  constructor(model: PairsLabModel, runBacktest: () => void) {
    super(model, 'backtest', 'Backtest & Export', ['message']);
    const form = this.block('pl-Form');
    this._form = new StrategyForm(model, form);
    const run = button('Run basket backtest', 'run-basket-backtest', 'Weights re-fitted on trailing bars only; each leg filled, charged fees and funded on its own');
    form.append(run);
    run.addEventListener('click', () => { if (this._form.read()) runBacktest(); });
    this._message = this.block('pl-Message');
    this._message.dataset.message = 'backtest';
    this._metrics = this.block('pl-TableBlock');
    this._metrics.dataset.section = 'basket-metrics';
    this._costs = this.block('pl-TableBlock');
    this.basketChart('basket-equity', (c, v) => equityFigure(this.model.basket.backtest, c, v), 240, 'Run the basket backtest to see its equity curve.');
    this.basketChart('basket-drawdown', (c, v) => drawdownFigure(this.model.basket.backtest, c, v), 180, 'Run the basket backtest to see its drawdown.');
    this._pairOnly = this.block('pl-Notice');
    this._pairOnly.dataset.notice = 'pair-only';
  }

  protected override onAfterAttach(msg: Message): void {
    super.onAfterAttach(msg);
    this._form.load();
  }

  protected render(): void {
    renderMessage(this._message, this.model.message('backtest'));
    const legs = this.model.basketLegs?.length ?? 0;
    this._pairOnly.textContent = `Parameter search, paper trading and CSV export are for two-leg pairs; this view is a basket of ${legs} legs.`;
    const b = this.model.basket.current ? this.model.basket.backtest : null;
    if (!b) {
      this._metrics.replaceChildren();
      this._costs.replaceChildren();
      delete this._metrics.dataset.trades;
      return;
    }
    const ran = `Run at ${clock.time(this.model.basket.backtestAt)} ${clock.label} on ${b.time.length} bars of ${b.legs.join(' / ')}.`;
    this._metrics.replaceChildren(el('h4', {}, `Basket backtest metrics${b.simulated ? ' (simulated data)' : ''}`),
      el('p', { class: 'pl-RunNote', 'data-run': 'basket-backtest' }, ran),
      ...metricsTable(b.metrics, b.time, this.model.controls.timeframe));
    this._metrics.dataset.trades = String(b.metrics.trades);
    this._costs.replaceChildren(el('h4', {}, 'Costs'),
      ...b.costNotes.map((note) => el('p', { class: 'pl-Notice' }, note)),
      table<[string, string]>([{ title: 'cost', value: (r) => r[0] }, { title: 'quote currency', value: (r) => r[1], numeric: true }], costRows(b.costs)),
      el('h4', {}, 'Per leg'),
      table<number>([
        { title: 'leg', value: (i) => b.legs[i] },
        { title: 'fees paid', value: (i) => fmt(b.legFees[i], 2), numeric: true },
        { title: 'funding received', value: (i) => fmt(b.legFunding[i], 2), numeric: true },
      ], b.legs.map((_, i) => i)));
  }

  private _form: StrategyForm;
  private _message: HTMLDivElement;
  private _metrics: HTMLDivElement;
  private _costs: HTMLDivElement;
  private _pairOnly: HTMLDivElement;
}
