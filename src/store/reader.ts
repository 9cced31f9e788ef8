import type {
  AlertRecord, AlertsQuery, BarSeries, BarsQuery, GapRecord, GapsQuery, HighWaterMark, LatestBarsQuery,
  PairBars, PairBarsQuery, QueryParams, ResultTable,
} from './types';

export interface StoreReaderOptions {
  dir: string;
}

/** Read-only view of a store; takes no locks, so any number may be open in any process. */
export interface StoreReader {
  readonly dir: string;
  /** Symbols with stored ticks or uploaded bars, sorted. */
  symbols(): Promise<string[]>;
  highWaterMarks(): Promise<Map<string, HighWaterMark>>;
  bars(q: BarsQuery): Promise<BarSeries>;
  /** The newest `count` buckets of a symbol; reads only the files that cover them. */
  latestBars(q: LatestBarsQuery): Promise<BarSeries>;
  pairBars(q: PairBarsQuery): Promise<PairBars>;
  alerts(q?: AlertsQuery): Promise<AlertRecord[]>;
  gaps(q?: GapsQuery): Promise<GapRecord[]>;
  /** Any SQL over the views `ticks`, `bars_uploaded`, `alerts`, `gaps`; values bound from `params`. */
  query(sql: string, params?: QueryParams): Promise<ResultTable>;
  close(): Promise<void>;
}

export async function openStoreReader(opts: StoreReaderOptions): Promise<StoreReader> {
  throw new Error(`openStoreReader(${opts.dir}): not implemented yet`);
}
