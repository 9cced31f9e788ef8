import { clock } from '../clock';
import { Widget } from '@lumino/widgets';
import type { PairsLabModel } from '../model';
import type { KernelState } from '../tokens';
import { button, el } from './dom';

const STATE_TEXT: Record<KernelState, string> = {
  starting: 'kernel starting…',
  loading: 'loading the library…',
  ready: 'kernel ready',
  busy: 'kernel busy',
  restarting: 'kernel restarting…',
  dead: 'kernel dead: restart it',
  error: 'kernel error: restart it',
};

/** The bar above the tabs: pair, simulated badge, kernel state and the kernel actions. */
export class HeaderView extends Widget {
  constructor(private readonly model: PairsLabModel, actions: { restart(): void; openNotebook(): void }) {
    super();
    this.addClass('pl-Header');
    this._title = el('span', { class: 'pl-Header-title' });
    this._simulated = el('span', { class: 'pl-Badge pl-mod-simulated', title: 'Data from the local simulated exchange, not from Binance' }, 'SIMULATED');
    this._kernel = el('span', { class: 'pl-KernelState', 'data-kernel-state': 'starting' }, STATE_TEXT.starting);
    this._lastUpdate = el('span', { class: 'pl-Hint' });
    const restart = button('Restart kernel', 'restart-kernel', 'Restart the panel\'s kernel; the panel reconnects and reloads');
    const notebook = button('Notebook on this kernel', 'open-notebook', 'A new notebook attached to the panel\'s kernel, sharing its live session');
    restart.addEventListener('click', () => actions.restart());
    notebook.addEventListener('click', () => actions.openNotebook());
    this._lastUpdate.classList.add('pl-Header-status');
    this.node.append(this._title, this._simulated, this._kernel, this._lastUpdate, notebook, restart);
    model.changed.connect(() => this.render());
    this.render();
  }

  setKernelState(state: KernelState): void {
    this._kernel.dataset.kernelState = state;
    this._kernel.textContent = STATE_TEXT[state];
  }

  /** Shows the model's state (also after the display clock changed). */
  render(): void {
    const c = this.model.controls;
    this._title.textContent = `${c.y} / ${c.x} · ${c.timeframe}`;
    this._simulated.hidden = !this.model.simulated;
    const last = this.model.metrics?.lastTime;
    this._lastUpdate.textContent = last ? `last bar ${clock.time(last)} ${clock.label} · ${this.model.metrics?.bars ?? 0} bars` : '';
  }

  private _title: HTMLSpanElement;
  private _simulated: HTMLSpanElement;
  private _kernel: HTMLSpanElement;
  private _lastUpdate: HTMLSpanElement;
}
