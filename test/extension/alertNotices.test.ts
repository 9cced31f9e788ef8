// Alert notifications (extension/src/alertNotices.ts): one notification per pair, updated in place with the newest
// alert and a count; a pair whose notification closed pops up again; pairs beyond a few at once share one summary.
import { describe, expect, it } from 'vitest';
import { AlertNotices, MAX_PAIR_NOTICES, NOTICE_MS, type INoticeOptions, type INotifier } from '../../extension/src/alertNotices';
import { DisplayClock } from '../../extension/src/clock';
import type { AlertRow } from '../../extension/src/protocol';

class FakeNotifier implements INotifier {
  notices = new Map<string, { message: string; options: INoticeOptions }>();
  created = 0;
  warning(message: string, options: INoticeOptions): string {
    const id = `n${++this.created}`;
    this.notices.set(id, { message, options });
    return id;
  }
  update(args: { id: string; message: string; type: 'warning' } & INoticeOptions): boolean {
    if (!this.notices.has(args.id)) return false;
    this.notices.set(args.id, { message: args.message, options: { autoClose: args.autoClose, actions: args.actions } });
    return true;
  }
  messages(): string[] {
    return [...this.notices.values()].map((n) => n.message);
  }
}

const t0 = Date.UTC(2026, 11, 6, 14, 2, 11);
const alert = (pair: string, time: number, z = 2.25): AlertRow => {
  const [y, x] = pair.split('/');
  return { y, x, time, rule: 'zscore', value: z, threshold: 2, message: `${pair}: |z| = ${z.toFixed(3)} reached 2` } as AlertRow;
};

function setup() {
  const notifier = new FakeNotifier();
  let now = t0;
  const opened: string[] = [];
  const notices = new AlertNotices(notifier, new DisplayClock(), (y, x) => opened.push(`${y}/${x}`), () => now);
  return { notifier, notices, opened, advance: (ms: number) => { now += ms; } };
}

describe('alert notifications', () => {
  it('one notification per pair, updated in place with the newest alert and a count', () => {
    const { notifier, notices, opened, advance } = setup();
    notices.notify([alert('ETHUSDT/SOLUSDT', t0)]);
    expect(notifier.messages()).toEqual(['Pairs Lab alert: ETHUSDT/SOLUSDT: |z| = 2.250 reached 2']);
    for (let i = 1; i <= 20; i++) {
      advance(1_000);
      notices.notify([alert('ETHUSDT/SOLUSDT', t0 + i * 1000, 2 + i / 100)]);
    }
    expect(notifier.created).toBe(1);
    expect(notifier.messages()).toEqual(['Pairs Lab alert: ETHUSDT/SOLUSDT: |z| = 2.200 reached 2 (21 alerts since 14:02:11 UTC)']);
    const n = [...notifier.notices.values()][0];
    expect(n.options.autoClose).toBe(NOTICE_MS);
    n.options.actions[0].callback();
    expect(opened).toEqual(['ETHUSDT/SOLUSDT']);
  });

  it('a notification the user dismissed comes back as a new one on the next alert', () => {
    const { notifier, notices, advance } = setup();
    notices.notify([alert('ETHUSDT/SOLUSDT', t0)]);
    notifier.notices.clear();
    advance(NOTICE_MS + 1);
    notices.notify([alert('ETHUSDT/SOLUSDT', t0 + 5000)]);
    expect(notifier.created).toBe(2);
    expect(notifier.messages()).toEqual(['Pairs Lab alert: ETHUSDT/SOLUSDT: |z| = 2.250 reached 2 (2 alerts since 14:02:11 UTC)']);
  });

  it('pairs beyond a few showing at once share one summary, updated in place', () => {
    const { notifier, notices, advance } = setup();
    const pairs = ['A1USDT/B1USDT', 'A2USDT/B2USDT', 'A3USDT/B3USDT', 'A4USDT/B4USDT', 'A5USDT/B5USDT'];
    notices.notify(pairs.map((p) => alert(p, t0)));
    expect(notifier.created).toBe(MAX_PAIR_NOTICES + 1);
    expect(notifier.messages()).toContain('Pairs Lab alerts: 2 on 2 more watched pairs (A4USDT/B4USDT, A5USDT/B5USDT). See the Watchlist tab.');
    advance(1000);
    notices.notify([alert('A5USDT/B5USDT', t0 + 1000)]);
    expect(notifier.created).toBe(MAX_PAIR_NOTICES + 1);
    expect(notifier.messages()).toContain('Pairs Lab alerts: 3 on 2 more watched pairs (A4USDT/B4USDT, A5USDT/B5USDT). See the Watchlist tab.');
    // once the first ones have closed, a pair gets its own notification again
    advance(NOTICE_MS);
    notices.notify([alert('A5USDT/B5USDT', t0 + 8000)]);
    expect(notifier.created).toBe(MAX_PAIR_NOTICES + 2);
    expect(notifier.messages()).toContain('Pairs Lab alert: A5USDT/B5USDT: |z| = 2.250 reached 2 (3 alerts since 14:02:11 UTC)');
  });
});
