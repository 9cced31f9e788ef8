// The panel's server-side state: one lab (store + recorder) and the pair views the panel looks at, and one
// method per request kind. Requests arrive already validated (see requests.ts).
import { isTimeZone } from '../analysis/zonedTime';
import { RequestError } from './schema';
import { PROTOCOL_VERSION, type ConfigData, type FeedSource, type PanelReplyData, type PanelRequest, type PairParams } from '../protocol';
import { type Lab, openLab } from '../session/lab';
import type { PairViewOptions, RefreshResult } from '../analysis/pairView';
import type { AlertEvent } from '../../../src/analytics';
import { tradesCsv } from '../analysis/viewOutputs';
import { alertRow, backtestData, metricCards, paramSearchData, scanRow, seriesChunk } from './replies';
import { PanelWatchlist } from './watchlistReplies';
import { seriesOverview } from './overview';
import { lowerBound } from '../analysis/sorted';
import { appendAlerts } from '../../../src/store';
import { PairView } from '../analysis/pairView';
import { PaperBooks } from './paperBooks';

const LIBRARY_VERSION = '0.1.0';
/** Pair views kept per session (least recently used dropped first); a live view of a day of 1 s bars holds about 16 MB. */
const MAX_VIEWS = 4;
/** Alerts a full snapshot carries. */
const SNAPSHOT_ALERTS = 50;

type Req<K extends PanelRequest['kind']> = Extract<PanelRequest, { kind: K }>;

interface ViewEntry {
  view: PairView;
  /** Alerts fired by this view's refreshes, tagged with the view sequence number they came with. */
  fired: Array<{ seq: number; row: ReturnType<typeof alertRow> }>;
}

/** Keeps a refresh's alerts for the next incremental snapshots (the newest 1,000). */
function record(entry: ViewEntry, refreshed: RefreshResult): void {
  for (const a of refreshed.alerts) entry.fired.push({ seq: entry.view.seq, row: alertRow(a) });
  if (entry.fired.length > 1000) entry.fired.splice(0, entry.fired.length - 1000);
}

/** What a handled request answers: its data and, for snapshots, the sequence number. */
export interface Answer<K extends PanelRequest['kind']> {
  data: PanelReplyData[K];
  seq?: number;
}

export class PanelSession {
  private readonly views = new Map<string, ViewEntry>();
  private readonly watch: PanelWatchlist;
  private readonly books: PaperBooks;

  private constructor(readonly lab: Lab) {
    this.watch = new PanelWatchlist(lab);
    this.books = new PaperBooks(lab.reader);
  }

  static async open(dataDir?: string): Promise<PanelSession> {
    return new PanelSession(await openLab({ dataDir }));
  }

  get universe(): readonly string[] {
    return this.lab.universe;
  }

  async close(): Promise<void> {
    await this.books.close();
    this.views.clear();
    await this.lab.close();
  }

  config(): ConfigData {
    const health = this.lab.recorder?.health();
    return {
      protocolVersion: PROTOCOL_VERSION,
      libraryVersion: LIBRARY_VERSION,
      dataDir: this.lab.dataDir,
      universe: [...this.lab.universe],
      feed: this.lab.feedSource,
      simulated: health?.simulated ?? this.lab.feedSource === 'simulated',
      timeframes: ['1s', '5s', '15s', '1m', '5m', '15m', '1h'],
      hedgeMethods: ['huber', 'ols', 'kalman'],
    };
  }

  /** Applies the universe and feed of an `init` request. */
  async init(req: Req<'init'>): Promise<ConfigData> {
    if (req.universe) await this.setUniverse(req.universe);
    if (req.feed && req.feed !== this.lab.feedSource) await this.setFeedSource(req.feed);
    return this.config();
  }

  async setUniverse(symbols: readonly string[]): Promise<ConfigData> {
    const previous = [...this.lab.universe];
    this.lab.setUniverse(symbols);
    // A running recorder follows the universe; the exchange validates the symbols. If it refuses them, the
    // previous universe and recording come back and the refusal is the reply.
    const source = this.lab.feedSource;
    if (source) {
      try {
        await this.lab.startRecorder({ source });
      } catch (err) {
        this.lab.setUniverse(previous);
        await this.lab.startRecorder({ source }).catch(() => undefined);
        throw err;
      }
    }
    return this.config();
  }

  async setFeedSource(source: FeedSource | 'none'): Promise<ConfigData> {
    if (source === 'none') await this.lab.stopRecorder();
    else await this.lab.startRecorder({ source });
    return this.config();
  }

  /** Read from the manifest and the upload sidecars only: the panel asks often. */
  async symbols(): Promise<PanelReplyData['symbols']> {
    const [names, marks, ranges] = await Promise.all([this.lab.symbols(), this.lab.reader.highWaterMarks(), this.lab.reader.timeRanges()]);
    return {
      symbols: names.map((symbol) => {
        const range = ranges.get(symbol);
        return { symbol, first: range?.first ?? null, last: marks.get(symbol)?.tradeTime ?? range?.last ?? null };
      }),
    };
  }

  async snapshot(req: Req<'snapshot'>): Promise<Answer<'snapshot'>> {
    const { entry, fresh } = await this.viewFor(req, { alerts: req.alerts, maxLag: req.maxLag });
    if (!fresh) {
      // Alert rules and lags are settings of the open view; those the new rules fire now are in the alert log.
      await entry.view.configure({ alerts: req.alerts, maxLag: req.maxLag });
      record(entry, await entry.view.refresh());
    }
    const view = entry.view;
    const since = req.sinceSeq;
    const changed = fresh || since === undefined ? null : view.changedSince(since);
    // A long full reply (or a change so long, e.g. after the laptop slept) is sent thinned: the newest bars in full,
    // the older ones as lines at the charts' resolution.
    const o = req.overview;
    const thin = o !== undefined && view.length - (changed ?? 0) > o.tailBars + 2 * o.buckets;
    const from = thin ? null : changed;
    const tailFrom = thin ? view.length - o.tailBars : from ?? 0;
    const alerts = from === null
      ? (await this.lab.alerts({ pair: view.pair, limit: SNAPSHOT_ALERTS })).reverse().map(alertRow)
      : entry.fired.filter((f) => f.seq > (since ?? 0)).map((f) => f.row).reverse();
    const health = await this.lab.health();
    return {
      seq: view.seq,
      data: {
        full: from === null,
        simulated: health.simulated,
        viewStart: view.length > 0 ? view.time[0] : null,
        overview: thin ? seriesOverview(view, 0, tailFrom, o.buckets) : null,
        series: seriesChunk(view, tailFrom),
        metrics: metricCards(view),
        crossCorrelation: { lags: view.crossCorrelation.lags, values: view.crossCorrelation.values.map((v) => (Number.isFinite(v) ? v : null)) },
        alerts,
        health,
      },
    };
  }

  /** A span of the view's lines at a chart's resolution; the view is not refreshed (the client holds these bars). */
  async seriesRange(req: Req<'seriesRange'>): Promise<Answer<'seriesRange'>> {
    const { view } = (await this.viewFor(req)).entry;
    const from = lowerBound(view.time, req.range.start);
    const to = lowerBound(view.time, req.range.end);
    return { data: { viewStart: view.length > 0 ? view.time[0] : null, overview: seriesOverview(view, from, to, req.buckets) } };
  }

  async backtest(req: Req<'backtest'>): Promise<Answer<'backtest'>> {
    const view = await this.currentView(req);
    const report = await view.backtest(req, req);
    return { data: backtestData(report, (await this.lab.health()).simulated) };
  }

  /** Starts or stops the pair's paper book, then reports every book of the store (resuming those nobody trades). */
  async paper(req: Req<'paper'>): Promise<Answer<'paper'>> {
    if (req.action === 'start') await this.books.start(await this.currentView(req), req);
    if (req.action === 'stop') await this.books.stop(req.name ?? `${req.y}-${req.x}-${req.timeframe}`);
    return { data: await this.books.report(`${req.y}-${req.x}-${req.timeframe}`) };
  }

  async paramSearch(req: Req<'paramSearch'>): Promise<Answer<'paramSearch'>> {
    const view = await this.currentView(req);
    return { data: paramSearchData(view.paramSearch(req)) };
  }

  async scan(req: Req<'scan'>): Promise<Answer<'scan'>> {
    const result = await this.lab.scan(req);
    return { data: { timeframe: result.timeframe, rows: result.rows.slice(0, req.limit ?? 50).map((r) => scanRow(r, result.bars)) } };
  }

  async importCsv(req: Req<'importCsv'>): Promise<Answer<'importCsv'>> {
    const r = await this.lab.importCsv(req.text, { timeframe: req.timeframe }).catch((err: unknown) => {
      if (err instanceof Error && req.fileName) err.message = `${req.fileName}: ${err.message}`;
      throw err;
    });
    return { data: { rows: r.rows, symbols: r.symbols, from: r.from, to: r.to, alreadyImported: r.alreadyImported } };
  }

  async exportCsv(req: Req<'exportCsv'>): Promise<Answer<'exportCsv'>> {
    if (req.timeZone !== undefined && !isTimeZone(req.timeZone)) {
      throw new RequestError(`timeZone is "${req.timeZone}", which this kernel does not know as a time zone; use an IANA name such as Asia/Singapore, or UTC`, 'timeZone');
    }
    const view = await this.currentView(req);
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    const base = `${req.y}-${req.x}-${req.timeframe}-${req.what}-${stamp}.csv`;
    if (req.what === 'trades') {
      const report = await view.backtest({ entry: req.entry ?? NaN, exit: req.exit ?? NaN, stop: req.stop, maxHoldBars: req.maxHoldBars, cooldownBars: req.cooldownBars }, req);
      return { data: { fileName: base, rows: report.trades.length, text: tradesCsv(report, req.timeZone) } };
    }
    return { data: { fileName: base, rows: view.length, text: view.toCsv(req.what, req.timeZone) } };
  }

  async alerts(req: Req<'alerts'>): Promise<Answer<'alerts'>> {
    const pair = req.y && req.x ? `${req.y}/${req.x}` : undefined;
    let rows = (await this.lab.alerts({ pair, from: req.since })).map(alertRow);
    if (!pair && (req.y || req.x)) rows = rows.filter((r) => r.y === req.y || r.x === req.x || r.y === req.x || r.x === req.y);
    return { data: { alerts: rows.reverse().slice(0, req.limit ?? 200) } };
  }

  /** The watchlist, refreshed, with the request's edits. */
  async watchlist(req: Req<'watchlist'>): Promise<Answer<'watchlist'>> {
    return this.watch.answer(req);
  }

  /** The view for a request's pair parameters, brought up to date. */
  private async currentView(req: PairParams): Promise<PairView> {
    const { entry, fresh } = await this.viewFor(req);
    if (!fresh) record(entry, await entry.view.refresh());
    return entry.view;
  }

  /**
   * The cached view for a request's pair parameters, or a new one (with `extra` settings). Snapshots, backtests and
   * exports of the same pair parameters share one view; alert rules and lags do not make a new one.
   */
  private async viewFor(req: PairParams, extra: Pick<PairViewOptions, 'alerts' | 'maxLag'> = {}): Promise<{ entry: ViewEntry; fresh: boolean }> {
    const options: PairViewOptions = {
      timeframe: req.timeframe, window: req.window, hedge: req.hedge, hedgeWindow: req.hedgeWindow, minVolume: req.minVolume,
      from: req.from, to: req.to, maxBars: req.maxBars,
    };
    const key = JSON.stringify([req.y, req.x, options]);
    const cached = this.views.get(key);
    if (cached) {
      this.views.delete(key);
      this.views.set(key, cached);
      return { entry: cached, fresh: false };
    }
    // A watched pair's alerts are logged by the watchlist, so the pair on screen does not log them a second time.
    const log = (events: AlertEvent[]) => appendAlerts(this.lab.dataDir, events.filter((e) => !this.watch.watches(e.pair)));
    const view = await PairView.load(this.lab.reader, req.y, req.x, { ...options, ...extra }, log, () => this.lab.exchangeNow());
    const entry: ViewEntry = { view, fired: [] };
    this.views.set(key, entry);
    if (this.views.size > MAX_VIEWS) this.views.delete(this.views.keys().next().value as string);
    return { entry, fresh: true };
  }
}
