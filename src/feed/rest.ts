// Binance USD-M REST calls the recorder needs (exchangeInfo, aggTrades, fundingRate, time), kept inside the request-weight
// budget: it reads X-MBX-USED-WEIGHT-1M, waits for the next window when a call would exceed the budget,
// honours 429 Retry-After, and refuses every call while a 418 ban lasts.
import type { Clock } from './clock';
import { parseAggTradePayload } from './parse';
import { parseFundingRow } from './parse-funding';
import type { AggTrade, FundingEvent } from './types';

export const aggTradesWeight = 20;
export const aggTradesMaxLimit = 1000;
export const fundingRateMaxLimit = 1000;
/**
 * Binance: fundingRate calls "share 500/5min/IP rate limit with GET /fapi/v1/fundingInfo" beside the minute's weight;
 * the client keeps a margin under it.
 */
export const fundingRateCallsPer5Min = 400;

export interface RestOptions {
  baseUrl: string;
  clock: Clock;
  /** Weight this client allows itself per window (Binance allows 2400/min; keep headroom). */
  weightBudget?: number;
  /** Length of the exchange's weight window; Binance's is one minute, aligned to the clock. */
  weightWindowMs?: number;
  timeoutMs?: number;
}

/** One `GET /fapi/v1/time` reply with the local clock read when the request left and when its reply arrived. */
export interface ServerTimeSample {
  serverTime: number;
  sentAt: number;
  receivedAt: number;
}

export interface ExchangeSymbol {
  symbol: string;
  status: string;
  contractType?: string;
}

export interface RestHealth {
  baseUrl: string;
  requests: number;
  usedWeight: number;
  weightBudget: number;
  weightWaits: number;
  rateLimited: number;
  retryAfterUntil: number | null;
  bannedUntil: number | null;
  lastError: string | null;
}

export class RestError extends Error {
  constructor(message: string, readonly status: number, readonly code?: number) {
    super(message);
    this.name = 'RestError';
  }
}

/** HTTP 429: wait until `retryAt` and try again. */
export class RateLimitedError extends RestError {
  constructor(readonly retryAt: number, status = 429) {
    super(`rate limited (HTTP ${status}); retry after ${new Date(retryAt).toISOString()}`, status);
    this.name = 'RateLimitedError';
  }
}

/** HTTP 418: the IP is banned until `until`; no request may be sent before then. */
export class BannedError extends RestError {
  constructor(readonly until: number) {
    super(`IP banned by the exchange (HTTP 418) until ${new Date(until).toISOString()}; backfill stops, live recording goes on`, 418);
    this.name = 'BannedError';
  }
}

export class BinanceRest {
  private readonly weightBudget: number;
  private readonly windowMs: number;
  private usedWeight = 0;
  private usedWeightWindow = -1;
  private requests = 0;
  private weightWaits = 0;
  private rateLimited = 0;
  private retryAfterUntil: number | null = null;
  private bannedUntil: number | null = null;
  private lastError: string | null = null;

  constructor(private readonly opts: RestOptions) {
    this.weightBudget = opts.weightBudget ?? 2_000;
    this.windowMs = opts.weightWindowMs ?? 60_000;
  }

  health(): RestHealth {
    const now = this.opts.clock.now();
    return {
      baseUrl: this.opts.baseUrl,
      requests: this.requests,
      usedWeight: this.windowOf(now) === this.usedWeightWindow ? this.usedWeight : 0,
      weightBudget: this.weightBudget,
      weightWaits: this.weightWaits,
      rateLimited: this.rateLimited,
      retryAfterUntil: this.retryAfterUntil !== null && this.retryAfterUntil > now ? this.retryAfterUntil : null,
      bannedUntil: this.bannedUntil !== null && this.bannedUntil > now ? this.bannedUntil : null,
      lastError: this.lastError,
    };
  }

  async exchangeInfo(signal?: AbortSignal): Promise<ExchangeSymbol[]> {
    const body = await this.get('/fapi/v1/exchangeInfo', {}, 1, signal);
    const symbols = (body as { symbols?: unknown }).symbols;
    if (!Array.isArray(symbols)) throw new RestError('exchangeInfo reply has no "symbols" array', 200);
    return symbols.filter((s): s is ExchangeSymbol => typeof s?.symbol === 'string' && typeof s?.status === 'string');
  }

  /** The exchange's clock (weight 1); `sentAt` is read after any wait for the weight budget. */
  async serverTime(signal?: AbortSignal): Promise<ServerTimeSample> {
    const { body, sentAt, receivedAt } = await this.request('/fapi/v1/time', {}, 1, signal);
    const serverTime = (body as { serverTime?: unknown }).serverTime;
    if (typeof serverTime !== 'number' || !Number.isSafeInteger(serverTime)) throw new RestError(`time reply has no integer "serverTime": ${JSON.stringify(body)}`, 200);
    return { serverTime, sentAt, receivedAt };
  }

  /** Settled funding events of `symbol` with startTime ≤ fundingTime ≤ endTime, ascending, at most `limit` (from startTime on). */
  async fundingRate(symbol: string, startTime: number, endTime: number, limit = fundingRateMaxLimit, signal?: AbortSignal): Promise<FundingEvent[]> {
    await this.waitForFundingCall(signal);
    const body = await this.get('/fapi/v1/fundingRate', { symbol, startTime: String(startTime), endTime: String(endTime), limit: String(limit) }, 1, signal);
    if (!Array.isArray(body)) throw new RestError(`fundingRate for ${symbol} did not return an array`, 200);
    const now = this.opts.clock.now();
    return body.map((row) => {
      const parsed = parseFundingRow(row, now);
      if (parsed.kind === 'bad') throw new RestError(`fundingRate for ${symbol}: bad row (${parsed.detail})`, 200);
      return parsed.funding;
    });
  }

  private fundingCalls: number[] = [];

  private async waitForFundingCall(signal?: AbortSignal): Promise<void> {
    const clock = this.opts.clock;
    for (;;) {
      const now = clock.now();
      this.fundingCalls = this.fundingCalls.filter((t) => now - t < 300_000);
      if (this.fundingCalls.length < fundingRateCallsPer5Min) {
        this.fundingCalls.push(now);
        return;
      }
      this.weightWaits++;
      await clock.sleep(this.fundingCalls[0] + 300_000 - now + 5, signal);
    }
  }

  /** Up to `limit` aggTrades of `symbol` from `fromId` inclusive, ascending. */
  async aggTrades(symbol: string, fromId: number, limit = aggTradesMaxLimit, signal?: AbortSignal): Promise<AggTrade[]> {
    const body = await this.get('/fapi/v1/aggTrades', { symbol, fromId: String(fromId), limit: String(limit) }, aggTradesWeight, signal);
    if (!Array.isArray(body)) throw new RestError(`aggTrades for ${symbol} did not return an array`, 200);
    const now = this.opts.clock.now();
    const out: AggTrade[] = [];
    for (const row of body) {
      const parsed = parseAggTradePayload(row as Record<string, unknown>, now, symbol);
      if (parsed.kind !== 'trade') throw new RestError(`aggTrades for ${symbol}: bad row (${parsed.kind === 'bad' ? parsed.detail : 'control reply'})`, 200);
      out.push(parsed.trade);
    }
    return out;
  }

  private windowOf(t: number): number {
    return Math.floor(t / this.windowMs);
  }

  private async waitForBudget(weight: number, signal?: AbortSignal): Promise<void> {
    const clock = this.opts.clock;
    for (;;) {
      const now = clock.now();
      if (this.bannedUntil !== null && now < this.bannedUntil) throw new BannedError(this.bannedUntil);
      if (this.retryAfterUntil !== null && now < this.retryAfterUntil) {
        await clock.sleep(this.retryAfterUntil - now, signal);
        continue;
      }
      const used = this.windowOf(now) === this.usedWeightWindow ? this.usedWeight : 0;
      if (used + weight <= this.weightBudget) {
        // Count the call before it returns so concurrent callers see it.
        this.usedWeight = used + weight;
        this.usedWeightWindow = this.windowOf(now);
        return;
      }
      this.weightWaits++;
      await clock.sleep((this.windowOf(now) + 1) * this.windowMs - now + 5, signal);
    }
  }

  private async get(path: string, params: Record<string, string>, weight: number, signal?: AbortSignal): Promise<unknown> {
    return (await this.request(path, params, weight, signal)).body;
  }

  private async request(path: string, params: Record<string, string>, weight: number, signal?: AbortSignal): Promise<{ body: unknown; sentAt: number; receivedAt: number }> {
    await this.waitForBudget(weight, signal);
    const url = new URL(path, this.opts.baseUrl);
    for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
    const ctl = new AbortController();
    const timer = setTimeout(() => ctl.abort(new Error(`no reply within ${this.opts.timeoutMs ?? 10_000} ms`)), this.opts.timeoutMs ?? 10_000);
    const onAbort = (): void => ctl.abort(signal?.reason);
    signal?.addEventListener('abort', onAbort, { once: true });
    this.requests++;
    const sentAt = this.opts.clock.now();
    let res: Response;
    try {
      res = await fetch(url, { signal: ctl.signal });
    } catch (err) {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      this.lastError = `GET ${path}: ${err instanceof Error ? err.message : String(err)}`;
      throw new RestError(`${this.lastError} (is ${this.opts.baseUrl} reachable?)`, 0);
    }
    clearTimeout(timer);
    signal?.removeEventListener('abort', onAbort);
    const now = this.opts.clock.now();
    const used = Number(res.headers.get('x-mbx-used-weight-1m'));
    if (res.headers.has('x-mbx-used-weight-1m') && Number.isFinite(used)) {
      this.usedWeight = used;
      this.usedWeightWindow = this.windowOf(now);
    }
    if (res.status === 429 || res.status === 418) {
      const retryAfterSec = Number(res.headers.get('retry-after'));
      const waitMs = Number.isFinite(retryAfterSec) && retryAfterSec > 0 ? retryAfterSec * 1000 : res.status === 418 ? 120_000 : 60_000;
      await res.body?.cancel();
      if (res.status === 418) {
        this.bannedUntil = now + waitMs;
        this.lastError = `GET ${path}: HTTP 418 banned for ${waitMs} ms`;
        throw new BannedError(this.bannedUntil);
      }
      this.rateLimited++;
      this.retryAfterUntil = now + waitMs;
      this.lastError = `GET ${path}: HTTP 429, Retry-After ${waitMs} ms`;
      throw new RateLimitedError(this.retryAfterUntil);
    }
    const text = await res.text();
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      this.lastError = `GET ${path}: HTTP ${res.status}, not JSON`;
      throw new RestError(this.lastError, res.status);
    }
    if (!res.ok) {
      const e = body as { code?: number; msg?: string };
      this.lastError = `GET ${path}: HTTP ${res.status} code ${e.code}: ${e.msg}`;
      throw new RestError(this.lastError, res.status, e.code);
    }
    return { body, sentAt, receivedAt: now };
  }
}
