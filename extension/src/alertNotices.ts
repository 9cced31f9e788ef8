// JupyterLab notifications for alerts of watched pairs not on screen. A busy watchlist fires an alert every few
// seconds, so each pair has one notification that is updated in place (newest alert and a count) and closes by
// itself; pairs beyond a few showing at once share one summary, so toasts never pile up over the charts.
import type { DisplayClock } from './clock';
import type { AlertRow } from './protocol';

export interface INoticeOptions {
  autoClose: number;
  actions: Array<{ label: string; callback: () => void }>;
}

/** The part of JupyterLab's `Notification` used here (a fake in unit tests). */
export interface INotifier {
  warning(message: string, options: INoticeOptions): string;
  /** False when the notification is gone (the user dismissed it). */
  update(args: { id: string; message: string; type: 'warning' } & INoticeOptions): boolean;
}

/** How long a notification stays on screen after its newest alert. */
export const NOTICE_MS = 6_000;
/** Pairs with a notification of their own on screen at once; further pairs go into the summary. */
export const MAX_PAIR_NOTICES = 3;

interface INotice {
  id: string | null;
  /** Alerts notified since `since`. */
  count: number;
  since: number;
  shownUntil: number;
}

export class AlertNotices {
  constructor(
    private readonly notifier: INotifier,
    private readonly clock: DisplayClock,
    private readonly openPair: (y: string, x: string) => void,
    private readonly now: () => number = () => Date.now(),
  ) {}

  /** Notifies `alerts` (newest first). */
  notify(alerts: readonly AlertRow[]): void {
    const byPair = new Map<string, { newest: AlertRow; count: number; oldest: number }>();
    for (const a of alerts) {
      const key = `${a.y}/${a.x}`;
      const seen = byPair.get(key);
      if (seen) {
        seen.count++;
        seen.oldest = Math.min(seen.oldest, a.time);
      } else byPair.set(key, { newest: a, count: 1, oldest: a.time });
    }
    const now = this.now();
    const overflow: Array<{ pair: string; newest: AlertRow; count: number }> = [];
    for (const [pair, { newest, count, oldest }] of byPair) {
      const notice = this._pairs.get(pair) ?? { id: null, count: 0, since: oldest, shownUntil: 0 };
      notice.count += count;
      this._pairs.set(pair, notice);
      if (notice.shownUntil <= now && this.pairsShowing(now) >= MAX_PAIR_NOTICES) {
        overflow.push({ pair, newest, count });
        continue;
      }
      notice.id = this.show(notice.id, this.pairText(newest, notice), [this.openAction(newest)]);
      notice.shownUntil = now + NOTICE_MS;
    }
    if (overflow.length) this.showSummary(overflow, now);
  }

  /** The text of a pair's notification, e.g. "Pairs Lab alert: A/B: |z| = 2.250 reached 2 (7 alerts since 14:02:11 UTC)". */
  pairText(newest: AlertRow, notice: Pick<INotice, 'count' | 'since'>): string {
    const count = notice.count > 1 ? ` (${notice.count} alerts since ${this.clock.time(notice.since)} ${this.clock.label})` : '';
    return `Pairs Lab alert: ${newest.message}${count}`;
  }

  private showSummary(overflow: Array<{ pair: string; newest: AlertRow; count: number }>, now: number): void {
    const s = this._summary;
    if (s.shownUntil <= now) {
      s.count = 0;
      s.pairs.clear();
    }
    for (const o of overflow) {
      s.count += o.count;
      s.pairs.add(o.pair);
    }
    const pairs = [...s.pairs];
    const text = `Pairs Lab alerts: ${s.count} on ${pairs.length} more watched pairs (${pairs.slice(0, 3).join(', ')}${pairs.length > 3 ? ', …' : ''}). See the Watchlist tab.`;
    s.id = this.show(s.id, text, [this.openAction(overflow[0].newest)]);
    s.shownUntil = now + NOTICE_MS;
  }

  private show(id: string | null, message: string, actions: INoticeOptions['actions']): string {
    const options = { autoClose: NOTICE_MS, actions };
    if (id !== null && this.notifier.update({ id, message, type: 'warning', ...options })) return id;
    return this.notifier.warning(message, options);
  }

  private openAction(a: AlertRow): INoticeOptions['actions'][number] {
    return { label: `Open ${a.y}/${a.x}`, callback: () => this.openPair(a.y, a.x) };
  }

  private pairsShowing(now: number): number {
    let n = 0;
    for (const notice of this._pairs.values()) if (notice.shownUntil > now) n++;
    return n;
  }

  private readonly _pairs = new Map<string, INotice>();
  private readonly _summary = { id: null as string | null, count: 0, pairs: new Set<string>(), shownUntil: 0 };
}
