import type { PairsLabModel } from '../model';
import type { IStrategyControls } from '../tokens';
import { field, numberInput, select } from './dom';

/** The strategy and cost fields of a backtest form (pair or basket); `read` copies them into the model's strategy. */
export class StrategyForm {
  constructor(private readonly model: PairsLabModel, form: HTMLElement) {
    this._entry = numberInput(0, 0.1, 20, 0.1);
    this._exit = numberInput(0, -20, 20, 0.1);
    this._stop = numberInput(0, 0, 20, 0.1);
    this._fee = numberInput(0, 0, 1000, 0.5);
    this._slippage = numberInput(0, 0, 1000, 0.5);
    this._notional = numberInput(0, 1, 1e9, 'any');
    this._funding = select([['recorded', 'recorded events'], ['none', 'none']], 'recorded');
    this._fills = select([['quotes', 'recorded bid/ask'], ['bars', 'bar prices + slippage']], 'quotes');
    this.load();
    form.append(
      field('entry', 'Entry |z|', 'Enter short the spread above +entry, long below −entry (decided on a bar close, filled at the next bar).', this._entry),
      field('exit', 'Exit |z|', 'Leave the position when z is back inside ±exit (a long exits above −exit); below entry and at least −entry. Negative: hold past the mean (−entry exits at the mirror level).', this._exit),
      field('stop', 'Stop |z|', 'Stop out when |z| reaches this; 0 turns the stop off. Must be above entry.', this._stop),
      field('fee', 'Fee (bps)', 'Taker fee per fill; Binance USD-M regular tier is 5 bps.', this._fee),
      field('slippage', 'Slippage (bps)', 'Price impact per fill.', this._slippage),
      field('notional', 'Notional per leg', 'Quote currency (USDT) per leg.', this._notional),
      field('funding', 'Funding', 'Charge the funding events the recorder stored, each at its mark price, or none. Without recorded events none is charged.', this._funding),
      field('fills', 'Fills', 'Buy at the ask and sell at the bid of the recorded quotes, or fill at bar prices with the slippage above. Fills without a recent quote use bar prices.', this._fills),
    );
  }

  /** Shows the model's strategy (the pair's and the basket's forms share it; one is on screen at a time). */
  load(): void {
    const s = this.model.strategy;
    this._entry.value = String(s.entry);
    this._exit.value = String(s.exit);
    this._stop.value = String(s.stop ?? 0);
    this._fee.value = String(s.feeBps);
    this._slippage.value = String(s.slippageBps);
    this._notional.value = String(s.notional);
    this._funding.value = s.funding ?? 'recorded';
    this._fills.value = s.fills ?? 'quotes';
  }

  /** Puts entry and exit levels into the form (e.g. the OU levels). */
  setLevels(entry: number, exit: number): void {
    this._entry.value = String(entry);
    this._exit.value = String(exit);
  }

  /** Copies the form into the model; false (with a message in the backtest area) when a value is out of range. */
  read(): boolean {
    const entry = Number(this._entry.value);
    const exit = Number(this._exit.value);
    const stop = Number(this._stop.value);
    const feeBps = Number(this._fee.value);
    const slippageBps = Number(this._slippage.value);
    const notional = Number(this._notional.value);
    const fail = (text: string) => { this.model.setMessage('backtest', { level: 'error', text }); return false; };
    if (!(entry > 0 && entry <= 20)) return fail('Entry must be a |z| above 0 and at most 20.');
    if (!(exit >= -entry && exit < entry)) return fail('Exit must be below entry and at least −entry (negative exits past the mean).');
    if (!(stop === 0 || (stop > entry && stop <= 20))) return fail('Stop must be 0 (off) or above entry, at most 20.');
    if (!(feeBps >= 0 && feeBps <= 1000) || !(slippageBps >= 0 && slippageBps <= 1000)) return fail('Fees and slippage are basis points between 0 and 1000.');
    if (!(notional > 0)) return fail('Notional must be a positive amount.');
    const funding = this._funding.value === 'none' ? 'none' : 'recorded';
    const fills = this._fills.value === 'bars' ? 'bars' : 'quotes';
    this.model.strategy = { entry, exit, stop: stop === 0 ? null : stop, feeBps, slippageBps, notional, funding, fills } satisfies IStrategyControls;
    this.model.setMessage('backtest', null);
    return true;
  }

  private _entry: HTMLInputElement;
  private _exit: HTMLInputElement;
  private _stop: HTMLInputElement;
  private _fee: HTMLInputElement;
  private _slippage: HTMLInputElement;
  private _notional: HTMLInputElement;
  private _funding: HTMLSelectElement;
  private _fills: HTMLSelectElement;
}
