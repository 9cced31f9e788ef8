import type { PairsLabModel } from '../model';
import type { AlertRow } from '../protocol';
import { card, el, fmt, table, clockTime, timeTitle } from './dom';
import { TabView } from './tab';
import { waitingNote, warmupOf } from './warmup';

/** Alerts: live indicators for each rule of the current pair, and the alert log, newest first. */
export class AlertsTab extends TabView {
  constructor(model: PairsLabModel) {
    super(model, 'alerts', 'Alerts', ['alerts', 'series', 'controls']);
    this._indicators = this.block('pl-Cards');
    this._logTitle = this.block('pl-LogTitle');
    this._log = this.block('pl-TableBlock pl-mod-scroll pl-mod-fill');
  }

  protected render(): void {
    const c = this.model.controls;
    const m = this.model.metrics;
    const z = m?.zScore ?? null;
    const corr = m?.correlation ?? null;
    const width = this.spreadDeviation();
    const state = (breached: boolean | null) => (breached === null ? undefined : breached ? 'alert' : 'ok');
    const st = warmupOf(this.model);
    this._indicators.replaceChildren(
      card('alert-z', `|z| ≥ ${c.zThreshold.toFixed(1)}`, fmt(z, 2), state(z === null ? null : Math.abs(z) >= c.zThreshold), waitingNote(st, z, 'zscore')),
      card('alert-spread', c.spreadAlertEnabled ? `|spread| ≥ ${fmt(c.spreadWidth, 2)}` : 'spread width (off)', fmt(width, 3),
        c.spreadAlertEnabled ? state(width === null ? null : width >= c.spreadWidth) : undefined, waitingNote(st, width, 'spread')),
      card('alert-correlation', c.correlationAlertEnabled ? `correlation < ${fmt(c.minCorrelation, 2)}` : 'correlation (off)', fmt(corr, 3),
        c.correlationAlertEnabled ? state(corr === null ? null : corr < c.minCorrelation) : undefined, waitingNote(st, corr, 'correlation')),
    );
    const rows = this.model.alerts;
    this._log.replaceChildren(
      rows.length === 0
        ? el('p', {}, 'No alerts yet. Alerts fire on new bars when a rule in the sidebar is met.')
        : table<AlertRow>([
          { title: timeTitle(), value: (a) => clockTime(a.time) },
          { title: 'pair', value: (a) => `${a.y} / ${a.x}` },
          { title: 'rule', value: (a) => a.rule },
          { title: 'value', value: (a) => fmt(a.value, 3), numeric: true },
          { title: 'threshold', value: (a) => fmt(a.threshold, 3), numeric: true },
          { title: 'message', value: (a) => a.message },
        ], rows),
    );
    this._log.dataset.count = String(rows.length);
    // said in words too: overlay scroll bars (touchpads, some browsers) show only while scrolling
    const more = this._log.scrollHeight > this._log.clientHeight + 1;
    this._logTitle.replaceChildren(el('h4', {}, `Alert log (${rows.length}), newest first${more ? ': scroll the list for older alerts' : ''}`));
  }

  /** |spread| of the newest bar; the spread includes the intercept, so it is centred on 0. */
  private spreadDeviation(): number | null {
    const spread = this.model.metrics?.spread ?? null;
    return spread === null ? null : Math.abs(spread);
  }

  private _indicators: HTMLDivElement;
  private _logTitle: HTMLDivElement;
  private _log: HTMLDivElement;
}
