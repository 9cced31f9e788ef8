import type { PairsLabModel } from '../model';
import type { FeedHealthData, FeedStreamRow } from '../protocol';
import { card, duration, el, fmt, table, clockTime, timeTitle } from './dom';
import { TabView } from './tab';

const STALE_MS = 10_000;
const STREAM_NAMES: Record<string, string> = { aggTrade: 'trades (aggTrade)', markPrice: 'mark price and funding (markPrice@1s)', bookTicker: 'best bid/ask (bookTicker)' };

/** Feed: recorder state, message rate, last tick age, reconnects, bad frames, gaps and the store read. */
export class FeedTab extends TabView {
  constructor(model: PairsLabModel, private readonly offerSimulated: () => void) {
    super(model, 'feed', 'Feed', ['health', 'config']);
    this._cards = this.block('pl-Cards');
    this._advice = this.block('pl-Message');
    this._connections = this.block('pl-TableBlock');
  }

  protected render(): void {
    const h = this.model.health;
    if (!h) {
      this._cards.replaceChildren(el('p', {}, 'No feed status yet: it arrives with the first refresh.'));
      this._advice.hidden = true;
      this._connections.replaceChildren();
      return;
    }
    const age = h.lastMessageAgeMs;
    const badFrames = Object.values(h.badFrames).reduce((a, b) => a + b, 0);
    this._cards.replaceChildren(
      card('feed-state', 'State', h.state + (h.simulated ? ' (SIMULATED)' : ''), h.state === 'recording' || h.state === 'attached' ? 'ok' : h.state === 'error' ? 'alert' : 'warn'),
      card('feed-source', 'Source', h.source === null ? 'none' : h.source === 'simulated' ? 'simulated exchange' : 'Binance USD-M'),
      card('feed-rate', 'Messages/s', fmt(h.messagesPerSecond, 1)),
      card('feed-age', 'Last tick age', duration(age), age === null ? undefined : age > STALE_MS ? 'alert' : 'ok'),
      card('feed-reconnects', 'Reconnects', String(h.reconnects), h.reconnects > 0 ? 'warn' : 'ok'),
      card('feed-bad-frames', 'Bad frames', String(badFrames), badFrames > 0 ? 'warn' : 'ok'),
      card('feed-gaps', 'Gaps open / filled', `${h.gapsOpen} / ${h.gapsFilled}`, h.gapsOpen > 0 ? 'warn' : 'ok'),
      card('feed-store-lag', 'Store lag', duration(h.storeLagMs)),
      card('feed-checked', timeTitle('Checked'), clockTime(h.checkedAt)),
      card('feed-store', 'Store', this.model.config?.dataDir ?? '—'),
    );
    this.renderAdvice(h);
    this._connections.replaceChildren(
      el('h4', {}, 'Connections'),
      h.connections.length === 0 ? el('p', {}, 'No open connections.') : table([
        { title: 'id', value: (c: FeedHealthData['connections'][number]) => c.id },
        { title: 'state', value: (c) => c.state },
        { title: 'symbols', value: (c) => c.symbols.join(', ') },
        { title: 'messages/s', value: (c) => fmt(c.messagesPerSecond, 1), numeric: true },
        { title: 'last message', value: (c) => duration(c.lastMessageAgeMs) },
        { title: 'reconnects', value: (c) => String(c.reconnects), numeric: true },
      ], h.connections),
      Object.keys(h.badFrames).length ? el('p', {}, `Bad frames by reason: ${Object.entries(h.badFrames).map(([k, v]) => `${k} ${v}`).join(', ')}`) : '',
      ...this.streams(h),
    );
  }

  /** The recorded streams (trades, mark price and funding, best bid/ask), and the funding settlements fetched. */
  private streams(h: FeedHealthData): HTMLElement[] {
    const rows = h.streams ?? [];
    if (rows.length === 0) return [];
    const out: HTMLElement[] = [el('h4', {}, 'Streams'), table<FeedStreamRow>([
      { title: 'stream', value: (r) => STREAM_NAMES[r.stream] ?? r.stream },
      { title: 'state', value: (r) => (r.paused ? 'paused (store busy)' : r.lastMessageAgeMs !== null && r.lastMessageAgeMs > STALE_MS ? 'stale' : r.connections > 0 ? 'live' : 'no connection') },
      { title: 'messages/s', value: (r) => fmt(r.messagesPerSecond, 1), numeric: true },
      { title: 'last message', value: (r) => duration(r.lastMessageAgeMs) },
      { title: 'received', value: (r) => String(r.events), numeric: true },
      { title: 'stored', value: (r) => String(r.stored), numeric: true },
      { title: 'bad frames', value: (r) => String(r.badFrames), numeric: true },
      { title: 'reconnects', value: (r) => String(r.reconnects + r.staleReplacements), numeric: true },
    ], rows)];
    out[1].dataset.streams = String(rows.length);
    const f = h.funding;
    if (f) {
      const newest = Object.entries(f.newest).filter(([, t]) => t !== null).map(([s, t]) => `${s} ${clockTime(t)}`);
      out.push(el('p', { 'data-funding': String(f.events) }, `Funding settlements: ${f.events} fetched this run${newest.length ? `; newest ${newest.join(', ')}` : ''}${f.waiting.length ? `; waiting for ${f.waiting.join(', ')}` : ''}${f.lastError ? `; last error: ${f.lastError}` : ''}.`));
    }
    return out;
  }

  private renderAdvice(h: FeedHealthData): void {
    const binanceDown = h.source === 'binance' && (h.state === 'error' || Boolean(h.error) || (h.lastMessageAgeMs ?? 0) > STALE_MS || h.connections.every((c) => c.state !== 'open'));
    this._advice.replaceChildren();
    this._advice.className = 'pl-Message';
    this._advice.hidden = !(binanceDown || h.error);
    if (this._advice.hidden) return;
    this._advice.classList.add('pl-mod-warning');
    const attached = h.state === 'attached';
    const text = !binanceDown
      ? `The feed reports: ${h.error}`
      : attached
        ? `The recorder writing this store cannot reach Binance${h.error ? ` (${h.error})` : ''}. Check the network, or stop JupyterLab and run \`npm start -- --sim\` to record from the simulated exchange (into its own store).`
        : `Binance cannot be reached${h.error ? ` (${h.error})` : ''}. Check the network, or record from the simulated exchange instead.`;
    this._advice.append(el('div', { class: 'pl-Message-text' }, text));
    if (binanceDown && !attached) {
      const use = el('button', { class: 'jp-Button jp-mod-styled pl-Button', 'data-action': 'use-simulated', type: 'button' }, 'Use the simulated exchange');
      use.addEventListener('click', () => this.offerSimulated());
      this._advice.append(use);
    }
  }

  private _cards: HTMLDivElement;
  private _advice: HTMLDivElement;
  private _connections: HTMLDivElement;
}
