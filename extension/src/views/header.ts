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
    // the buttons wrap together and keep to the right
    const actionsGroup = el('span', { class: 'pl-Header-actions' }, notebook, restart);
    this.node.append(this._title, this._simulated, this._kernel, this._lastUpdate, actionsGroup);
    model.changed.connect(() => this.render());
    this.render();
  }

  protected override onAfterAttach(): void {
    this._cssMinHeight = parseFloat(getComputedStyle(this.node).minHeight) || 0;
    this._resize.observe(this.node);
  }

  protected override onBeforeDetach(): void {
    this._resize.disconnect();
  }

  /**
   * On a narrow panel the header wraps onto a second line instead of cutting its status or buttons. Its parent box
   * layout sizes it from its CSS min-height, so that follows the wrapped content.
   */
  private fitHeight(): void {
    const style = getComputedStyle(this.node);
    const children = Array.from(this.node.children) as HTMLElement[];
    const bottom = Math.max(0, ...children.filter((c) => !c.hidden).map((c) => c.offsetTop + c.offsetHeight));
    const height = Math.max(this._cssMinHeight, Math.ceil(bottom + parseFloat(style.paddingBottom) + parseFloat(style.borderBottomWidth)));
    if (bottom === 0 || `${height}px` === this.node.style.minHeight) return;
    this.node.style.minHeight = `${height}px`;
    this.parent?.fit();
  }

  setKernelState(state: KernelState): void {
    this._kernel.dataset.kernelState = state;
    this._kernel.textContent = STATE_TEXT[state];
  }

  /** Shows the model's state (also after the display clock changed). */
  render(): void {
    const c = this.model.controls;
    const legs = this.model.basketLegs;
    this._title.textContent = `${(legs ?? [c.y, c.x]).join(' / ')} · ${c.timeframe}`;
    this._simulated.hidden = !this.model.simulated;
    // a basket's newest bar and bar count are its own (the legs' common bars), not the pair's
    const basket = legs && this.model.basket.current ? this.model.basket.view : null;
    const last = legs ? basket?.time[basket.time.length - 1] : this.model.metrics?.lastTime;
    const bars = legs ? basket?.bars ?? 0 : this.model.metrics?.bars ?? 0;
    // two short lines fit beside the buttons where one long line was cut; the space keeps the text readable as one line
    this._lastUpdate.replaceChildren(...(last
      ? [el('span', {}, `last bar ${clock.time(last)} ${clock.label}`), ' ', el('span', {}, `${bars} bars`)]
      : []));
    this._lastUpdate.title = last ? `Newest bar of the view: ${clock.dateTime(last)} ${clock.label}; the view holds ${bars} bars` : '';
    if (this.isAttached) this.scheduleFit();
  }

  /**
   * Fits the height in the next frame: measuring right after a refresh changed the page would make the browser lay
   * out the whole page an extra time per refresh; in the frame, that layout is one the browser does anyway.
   */
  private scheduleFit(): void {
    if (this._fitFrame !== 0) return;
    this._fitFrame = requestAnimationFrame(() => {
      this._fitFrame = 0;
      if (this.isAttached) this.fitHeight();
    });
  }

  private readonly _resize = new ResizeObserver(() => this.fitHeight());
  private _cssMinHeight = 0;
  private _fitFrame = 0;
  private _title: HTMLSpanElement;
  private _simulated: HTMLSpanElement;
  private _kernel: HTMLSpanElement;
  private _lastUpdate: HTMLSpanElement;
}
