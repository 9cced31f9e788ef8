// Public API of the feed: the Binance USD-M aggTrade client, the recorder, its health, and the simulated exchange.
export type { AggTrade, BadFrameReason, ConnectionHealth, ConnectionState, EventLatencyHealth, FeedHealth } from './types';
export { badFrameReasons, toTick } from './types';
export { type Clock, systemClock, acceleratedClock, offsetClock } from './clock';
export { Backoff, type BackoffOptions, defaultBackoff } from './backoff';
export { parseFrame, aggTradeStream, type ParsedFrame } from './parse';
export { RealtimeFeed, type RealtimeFeedOptions } from './realtime-feed';
export {
  BinanceFuturesFeed, type BinanceFuturesFeedOptions, SymbolRefusedError, normalizeSymbols, binanceFuturesWsUrl, binanceFuturesRestUrl,
} from './binance-futures';
export { BinanceRest, RestError, RateLimitedError, BannedError, type RestHealth, type ExchangeSymbol, type ServerTimeSample } from './rest';
export { ServerClock, type ServerClockHealth, type ServerClockOptions } from './server-clock';
export { startRecorder, type Recorder, type RecorderOptions, type RecorderSource } from './recorder';
export {
  readRecorderHealth, healthFileName, type RecorderEventLatency, type RecorderHealth, type RecorderHealthReading, type RecorderState, type StoreHealth,
} from './health';
export type { BackfillHealth } from './backfill';
export { type TickSink, openStoreSink } from './sink';
export { type OutputHealth, type TickOutput, withOutputs } from './outputs';
export { defaultSymbols, defaultPairs, symbolSpec, type PairSpec, type SymbolSpec } from './universe';
export {
  startSimulatedExchange, type SimulatedExchange, type SimulatedExchangeOptions, type SimFaults, type SimStats,
} from './sim/exchange';
export { type MalformedKind, malformedKinds, malformedReason } from './sim/malformed';
