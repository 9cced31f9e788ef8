// Public API of the Pairs Lab store: a directory of Parquet files that one writer process appends to
// while any number of reader processes query it without locks. See README.md beside this file.
export type {
  Tick, HighWaterMark, StoreWriterOptions, FlushStats, AppendResult, CompactionStats, StoreWriter,
  BarSource, EmptyBucketPolicy, BarsQuery, LatestBarsQuery, PairBarsQuery, SymbolsBarsQuery, BarSeries, PairBars,
  AlertRecord, AlertsQuery, GapStatus, GapRecord, GapsQuery, CellValue, QueryParams, ResultTable,
  ImportResult, CsvIssue, QuoteRow, MarkRow, FundingRow, MarketLayerName, MarketRowsQuery, QuoteSeries, QuoteSecondSeries,
  MarkSeries, FundingSeries,
} from './types';
export { openStoreWriter, WriterLockedError } from './writer';
export { openStoreReader, type StoreReader, type StoreReaderOptions } from './reader';
export { appendAlerts, appendGaps } from './records';
export { importBarsCsv, CsvImportError } from './csv-import';
export { toCsv } from './csv-export';
export { parseTimeframe, formatTimeframe } from './timeframe';
export { type WatchedPair, WATCHLIST_FILE, checkWatchedPairs, readWatchlistFile, writeWatchlistFile } from './watchlist-file';
export { PaperBookLockedError, appendPaperJournal, checkBookName, listPaperBooks, lockPaperBook, readPaperJournal } from './paper-journal';
