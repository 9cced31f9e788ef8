import type { PairsLabModel } from '../model';
import type { BasketWeightsMethod } from '../protocol';
import type { IControls } from '../tokens';
import { MAX_BASKET_LEGS } from '../basketState';
import { button, el, field, select } from './dom';

export interface ILegListActions {
  set(patch: Partial<IControls>): void;
  showError(text: string): void;
}

/**
 * The legs after Y and X: "Add leg" up to six legs, a remove button per added leg, and the basket's weight method once
 * there are three legs or more. With none added the view is the pair of Y and X.
 */
export class LegList {
  constructor(private readonly model: PairsLabModel, private readonly actions: ILegListActions) {
    this._rows = el('div', { class: 'pl-LegRows' });
    this._add = button('Add leg', 'add-leg', 'Add a leg: with three or more legs the view is a basket');
    this._weights = select([['johansen', 'Johansen'], ['eg', 'Engle-Granger']], model.controls.basketWeights);
    this._weightsField = field('basket-weights', 'Basket weights',
      'Johansen: the first eigenvector; Engle-Granger: OLS of Y on the other legs. Y\'s weight is 1; spread = Σ weight · close − intercept.', this._weights);
    this.node = el('div', { class: 'pl-Legs' }, this._rows, this._add, this._weightsField);
    this._add.addEventListener('click', () => this.addLeg());
    this._weights.addEventListener('change', () => actions.set({ basketWeights: this._weights.value as BasketWeightsMethod }));
  }

  readonly node: HTMLDivElement;

  /** Redraws the added legs from the controls; `symbols` are those the selects offer. */
  sync(symbols: string[]): void {
    const c = this.model.controls;
    this._symbols = symbols;
    this._rows.replaceChildren(...c.legs.map((leg, i) => this.row(leg, i, symbols)));
    const count = 2 + c.legs.length;
    this._add.disabled = count >= MAX_BASKET_LEGS;
    this._add.title = count >= MAX_BASKET_LEGS ? `A basket has at most ${MAX_BASKET_LEGS} legs.` : 'Add a leg: with three or more legs the view is a basket';
    this._weightsField.hidden = c.legs.length === 0;
    this._weights.value = c.basketWeights;
    this.node.dataset.legs = String(count);
  }

  private row(leg: string, i: number, symbols: string[]): HTMLDivElement {
    const n = i + 3;
    const choice = select([...new Set([...symbols, leg])].map((s): [string, string] => [s, s]), leg);
    const remove = button('✕', `remove-leg-${n}`, `Remove leg ${n} (${leg})`);
    remove.setAttribute('aria-label', `Remove leg ${n} (${leg})`);
    remove.classList.add('pl-mod-minimal');
    choice.addEventListener('change', () => this.setLeg(i, choice.value));
    remove.addEventListener('click', () => this.actions.set({ legs: this.model.controls.legs.filter((_, j) => j !== i) }));
    return field(`leg-${n}`, `Leg ${n}`, '', el('div', { class: 'pl-LegRow' }, choice, remove));
  }

  private addLeg(): void {
    const c = this.model.controls;
    const taken = new Set([c.y, c.x, ...c.legs]);
    const next = (this.model.config?.universe ?? []).find((s) => !taken.has(s));
    if (next === undefined) {
      this.actions.showError('Every symbol of the universe is a leg already: add symbols to the Universe first, then add a leg.');
      return;
    }
    this.actions.set({ legs: [...c.legs, next] });
  }

  private setLeg(i: number, symbol: string): void {
    const c = this.model.controls;
    if (symbol === c.y || symbol === c.x || c.legs.some((s, j) => j !== i && s === symbol)) {
      this.actions.showError(`${symbol} is a leg already; every leg of a basket must be a different symbol. Pick another leg ${i + 3}.`);
      this.sync(this._symbols);
      return;
    }
    this.actions.set({ legs: c.legs.map((s, j) => (j === i ? symbol : s)) });
  }

  private _symbols: string[] = [];
  private _rows: HTMLDivElement;
  private _add: HTMLButtonElement;
  private _weights: HTMLSelectElement;
  private _weightsField: HTMLDivElement;
}
