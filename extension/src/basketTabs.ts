// A basket on screen: its tabs take the places of the pair's Prices, Spread, Correlation and Backtest tabs (same labels,
// same order), its view is read whole on every refresh, and its backtest runs on demand.
import type { TabPanel } from '@lumino/widgets';
import { type PanelKernel, PanelRequestError } from './kernel';
import { messageOf } from './messages';
import type { PairsLabModel } from './model';
import { basketBacktestParams, basketParams } from './basketState';
import type { TabView } from './views/tab';
import { BasketSpreadTab } from './views/basketSpread';
import { BasketPricesTab } from './views/basketPrices';
import { BasketBacktestTab } from './views/basketBacktest';
import { PairOnlyTab } from './views/basketTab';

/** The pair's tabs a basket replaces. */
export interface IPairTabs {
  prices: TabView;
  spread: TabView;
  correlation: TabView;
  backtest: TabView;
}

export class BasketTabs {
  constructor(private readonly model: PairsLabModel, private readonly kernel: PanelKernel, private readonly tabs: TabPanel, pair: IPairTabs, private readonly maxBars: () => number) {
    this._swaps = [
      [pair.prices, new BasketPricesTab(model)],
      [pair.spread, new BasketSpreadTab(model)],
      [pair.correlation, new PairOnlyTab(model, 'correlation', pair.correlation.title.label)],
      [pair.backtest, new BasketBacktestTab(model, () => void this.runBacktest())],
    ];
  }

  /** The basket's tabs (attached only while the view is a basket). */
  get views(): TabView[] {
    return this._swaps.map(([, basket]) => basket);
  }

  /** Puts the basket's tabs in place of the pair's when the controls name a basket, and the pair's back when not. */
  sync(): void {
    const basket = this.model.basketLegs !== null;
    if (basket === this._shown) return;
    this._shown = basket;
    const current = this.tabs.currentIndex;
    for (const [pair, basketTab] of this._swaps) {
      const [from, to] = basket ? [pair, basketTab] : [basketTab, pair];
      const at = this.tabs.widgets.indexOf(from);
      if (at < 0) continue;
      this.tabs.insertWidget(at, to);
      from.parent = null;
    }
    this.tabs.currentIndex = current;
    this.tabs.node.dataset.view = basket ? 'basket' : 'pair';
  }

  /**
   * Reads the basket of the controls whole and hands it to the model; true when it is the view on screen. A basket the
   * kernel cannot compute yet (e.g. its legs share too few bars) waits, saying why; a refused request throws.
   */
  async refresh(): Promise<boolean> {
    const key = this.model.viewKey();
    try {
      const reply = await this.kernel.request('basket', basketParams(this.model.controls, this.maxBars()));
      return this.model.basket.apply(reply.data, key);
    } catch (err) {
      if (!(err instanceof PanelRequestError) || err.field) throw err;
      this.model.basket.setWaiting(`No basket yet: ${messageOf(err)}`, key);
      return false;
    }
  }

  async runBacktest(): Promise<void> {
    const key = this.model.viewKey();
    this.model.setMessage('backtest', { level: 'info', text: 'Running the basket backtest…' });
    try {
      const { data } = await this.kernel.request('basketBacktest', basketBacktestParams(this.model.controls, this.model.strategy, this.maxBars()));
      this.model.basket.setBacktest(data, key);
      this.model.setMessage('backtest', data.metrics.trades === 0 ? { level: 'warning', text: 'The basket made no trades on these bars. Lower the entry threshold or wait for more bars.' } : null);
    } catch (err) {
      this.model.setMessage('backtest', { level: 'error', text: `The basket backtest did not run: ${messageOf(err)}` });
    }
  }

  private readonly _swaps: Array<[pair: TabView, basket: TabView]>;
  private _shown = false;
}
