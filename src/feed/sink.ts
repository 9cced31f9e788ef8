// Where the recorder puts ticks and gap records: the store, or anything with the same shape.
import type { AppendResult, FundingRow, GapRecord, HighWaterMark, MarketLayerName, MarkRow, QuoteRow, StoreWriterOptions, Tick } from '../store/types';

export interface TickSink {
  /** Buffers ticks; drops (symbol, aggId) already stored or buffered. */
  append(ticks: readonly Tick[]): AppendResult;
  /** Makes every buffered tick durable. */
  flush(): Promise<unknown>;
  /** Highest aggId per symbol, stored or buffered. */
  highWaterMarks(): Map<string, HighWaterMark>;
  /** Records gaps; a record with the same (symbol, fromId, toId) replaces the earlier one. */
  appendGaps(gaps: readonly GapRecord[]): Promise<void>;
  /** Gaps still open in the log (a previous run stopped before filling them). */
  openGaps(): Promise<GapRecord[]>;
  /**
   * Market data beside the ticks, made durable by the same `flush()`. A sink without them records trades only
   * (the recorder then defaults to `--streams aggTrade`).
   */
  appendQuotes?(rows: readonly QuoteRow[]): AppendResult;
  appendMarks?(rows: readonly MarkRow[]): AppendResult;
  appendFunding?(rows: readonly FundingRow[]): AppendResult;
  /** Newest stored sequence per symbol of a market-data layer (funding: the newest funding time). */
  layerHighWaterMarks?(layer: MarketLayerName): Map<string, HighWaterMark>;
  /** Bytes the sink's DuckDB instances hold, if it has any. */
  duckdbMemoryBytes?(): Promise<number>;
  close(): Promise<void>;
}

/** A sink that stores quotes, mark prices and funding beside ticks. */
export type MarketDataSink = TickSink & Required<Pick<TickSink, 'appendQuotes' | 'appendMarks' | 'appendFunding' | 'layerHighWaterMarks'>>;

export function storesMarketData(sink: TickSink): sink is MarketDataSink {
  return sink.appendQuotes !== undefined && sink.appendMarks !== undefined && sink.appendFunding !== undefined && sink.layerHighWaterMarks !== undefined;
}

/** The store directory as a sink: the one tick writer of `dir`, flushed by the recorder (no timer of its own). */
export async function openStoreSink(
  dir: string,
  onError: (err: Error) => void,
  options: Omit<StoreWriterOptions, 'dir' | 'onError' | 'flushIntervalMs'> = {},
): Promise<TickSink> {
  const store = await import('../store');
  const writer = await store.openStoreWriter({ ...options, dir, flushIntervalMs: 0, onError });
  return {
    append: (ticks) => writer.append(ticks),
    flush: () => writer.flush(),
    highWaterMarks: () => writer.highWaterMarks(),
    appendQuotes: (rows) => writer.appendQuotes(rows),
    appendMarks: (rows) => writer.appendMarks(rows),
    appendFunding: (rows) => writer.appendFunding(rows),
    layerHighWaterMarks: (layer) => writer.layerHighWaterMarks(layer),
    appendGaps: (gaps) => store.appendGaps(dir, gaps),
    async openGaps() {
      const reader = await store.openStoreReader({ dir });
      try {
        return await reader.gaps({ status: 'open' });
      } finally {
        await reader.close();
      }
    },
    duckdbMemoryBytes: () => writer.duckdbMemoryBytes(),
    close: () => writer.close(),
  };
}
