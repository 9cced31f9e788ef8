import { clock } from '../clock';
import type { PairsLabModel } from '../model';
import { runStampText } from '../runStamp';
import type { ScanRow } from '../protocol';
import { button, el, fmt, renderMessage, table } from './dom';
import { TabView } from './tab';

/** Pairs overview: the universe scan, refreshed on demand; a row click opens that pair. */
export class OverviewTab extends TabView {
  constructor(model: PairsLabModel, private readonly actions: { scan(): void; openPair(y: string, x: string): void }) {
    super(model, 'overview', 'Pairs overview', ['scan', 'message', 'series']);
    const bar = this.block('pl-Toolbar');
    const scan = button('Scan the universe', 'scan', 'Rank every pair of the universe by cointegration on the current timeframe');
    scan.addEventListener('click', () => actions.scan());
    bar.append(scan, el('span', { class: 'pl-Hint' }, 'Ranks every pair of the universe (cointegration p-value, ADF, half-life). Click a row to open that pair.'));
    this._message = this.block('pl-Message');
    this._message.dataset.message = 'overview';
    this._run = this.block('pl-RunBlock');
    this._table = this.block('pl-TableBlock pl-mod-scroll');
  }

  protected render(): void {
    renderMessage(this._message, this.model.message('overview'));
    const run = this.model.runs.scan;
    this._run.replaceChildren(...(run ? [el('p', { class: 'pl-RunNote', 'data-run': 'scan' }, runStampText(run, clock, this.model.currentView()))] : []));
    const scan = this.model.scan;
    // the table only changes with a new scan; the run note above follows the newest bars
    if (scan === this._shown && scan) return;
    this._shown = scan;
    if (!scan) {
      this._table.replaceChildren(el('p', { 'data-empty': 'scan' }, 'No scan yet: press "Scan the universe" to rank every pair of the universe on the current timeframe. A pair needs at least 30 bars of both legs to be ranked.'));
      return;
    }
    this._table.replaceChildren(
      el('h4', {}, `${scan.rows.length} pairs on ${scan.timeframe} bars, best first`),
      table<ScanRow>([
        { title: 'Y', value: (r) => r.y },
        { title: 'X', value: (r) => r.x },
        { title: 'coint p', value: (r) => fmt(r.cointPValue, 3), numeric: true },
        { title: 'ADF stat', value: (r) => fmt(r.adfStatistic, 3), numeric: true },
        { title: 'ADF p', value: (r) => fmt(r.adfPValue, 3), numeric: true },
        { title: 'half-life (bars)', value: (r) => fmt(r.halfLifeBars, 1), numeric: true },
        { title: 'hedge ratio', value: (r) => fmt(r.hedgeRatio), numeric: true },
        { title: 'correlation', value: (r) => fmt(r.correlation, 3), numeric: true },
        { title: 'bars', value: (r) => String(r.bars), numeric: true },
      ], scan.rows, (r) => this.actions.openPair(r.y, r.x)),
    );
  }

  private _message: HTMLDivElement;
  private _run: HTMLDivElement;
  private _table: HTMLDivElement;
  private _shown: PairsLabModel['scan'] = null;
}
