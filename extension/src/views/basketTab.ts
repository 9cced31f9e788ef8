import type { ModelPart, PairsLabModel } from '../model';
import type { BasketData } from '../protocol';
import type { IThemeColors } from '../plotly';
import type { Chart, Figure } from '../chart';
import type { IChartView } from '../decimate';
import { NO_DATA, TabView } from './tab';

/** Why a basket tab shows nothing yet. */
export function basketWaitingText(model: PairsLabModel): string {
  return model.basket.waiting ?? (model.basket.current ? NO_DATA : 'Loading the basket…');
}

/** A tab that shows the basket of the controls (Y, X and the added legs) instead of the pair. */
export abstract class BasketTabView extends TabView {
  constructor(model: PairsLabModel, name: string, label: string, parts: ModelPart[] = []) {
    super(model, name, label, ['basket', 'controls', ...parts]);
    this.addClass('pl-mod-basket');
  }

  /** The basket view held for the controls on screen, or null. */
  protected view(): BasketData | null {
    return this.model.basket.current ? this.model.basket.view : null;
  }

  /** A chart of the basket; a basket view comes whole, so zooming fetches nothing. */
  protected basketChart(name: string, makeFigure: (colors: IThemeColors, view: IChartView) => Figure | null, height: number, emptyText?: string): Chart {
    const chart = this.chart(name, makeFigure, emptyText ?? (() => basketWaitingText(this.model)), height);
    chart.onZoomed = () => undefined;
    return chart;
  }
}

/** A tab that only makes sense for a pair, while the view is a basket. */
export class PairOnlyTab extends BasketTabView {
  constructor(model: PairsLabModel, name: string, label: string) {
    super(model, name, label);
    this._note = this.block('pl-Notice');
    this._note.dataset.notice = 'pair-only';
  }

  protected render(): void {
    const legs = this.model.basketLegs?.length ?? 0;
    this._note.textContent = `${this.title.label} is for two-leg pairs; this view is a basket of ${legs} legs. Remove the added legs in the sidebar to see it.`;
  }

  private _note: HTMLDivElement;
}
