// The simulated exchange's REST endpoints (`/fapi/v1/time`, `/exchangeInfo`, `/aggTrades`, `/fundingRate`) with Binance's
// weights, X-MBX-USED-WEIGHT-1M header, parameter errors, 429 Retry-After, and a 418 ban for clients
// that keep calling after a 429.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Clock } from '../clock';
import type { SimMarket, SimTrade } from './market';
import type { SimFunding, SimMarketData } from './market-data';

/** Binance: fundingRate calls "share 500/5min/IP rate limit with GET /fapi/v1/fundingInfo". */
export const FUNDING_RATE_CALLS_PER_5MIN = 500;

export interface RestApiOptions {
  clock: Clock;
  market: SimMarket;
  marketData: SimMarketData;
  weightLimit: number;
  weightWindowMs: number;
  /** Listed symbols that are not trading, e.g. `{ OLDUSDT: 'SETTLING' }`. */
  symbolStatus: Record<string, string>;
}

/** How `/fapi/v1/time` misbehaves: `error` answers 503, `no_reply` never answers. */
export type ServerTimeFault = 'none' | 'error' | 'no_reply';

export interface RestStats {
  requests: number;
  timeRequests: number;
  aggTradesRequests: number;
  fundingRateRequests: number;
  exchangeInfoRequests: number;
  maxUsedWeight: number;
  status429: number;
  status418: number;
  /** Requests that arrived while the client was banned or told to wait. */
  requestsDuringPenalty: number;
}

export class RestApi {
  private window = -1;
  private used = 0;
  private retryAfterUntil = 0;
  private bannedUntil = 0;
  private forced429 = { count: 0, retryAfterSec: 1 };
  private timeFault: ServerTimeFault = 'none';
  private fundingWindow = -1;
  private fundingCalls = 0;
  readonly stats: RestStats = { requests: 0, timeRequests: 0, aggTradesRequests: 0, fundingRateRequests: 0, exchangeInfoRequests: 0, maxUsedWeight: 0, status429: 0, status418: 0, requestsDuringPenalty: 0 };

  constructor(private readonly opts: RestApiOptions) {}

  /** The next `count` aggTrades requests get 429 with this Retry-After. */
  force429(count: number, retryAfterSec: number): void {
    this.forced429 = { count, retryAfterSec };
  }

  serverTimeFault(fault: ServerTimeFault): void {
    this.timeFault = fault;
  }

  /** Bans the client for `ms` of clock time: every request gets 418. */
  ban(ms: number): void {
    this.bannedUntil = this.opts.clock.now() + ms;
  }

  handle(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://sim');
    const now = this.opts.clock.now();
    this.stats.requests++;
    const send = (status: number, body: unknown, headers: Record<string, string> = {}): void => {
      const text = JSON.stringify(body);
      res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), 'x-mbx-used-weight-1m': String(this.used), ...headers });
      res.end(text);
    };
    const route = routes[url.pathname];
    if (req.method !== 'GET' || !route) return send(404, { code: -5000, msg: `path ${req.method} ${url.pathname} not found` });
    if (url.pathname === '/fapi/v1/aggTrades') this.stats.aggTradesRequests++;
    if (url.pathname === '/fapi/v1/exchangeInfo') this.stats.exchangeInfoRequests++;
    if (url.pathname === '/fapi/v1/fundingRate') this.stats.fundingRateRequests++;
    if (url.pathname === '/fapi/v1/time') {
      this.stats.timeRequests++;
      // Left pending: the client's timeout ends it, or closing the exchange destroys the socket.
      if (this.timeFault === 'no_reply') return;
      if (this.timeFault === 'error') return send(503, { code: -1001, msg: 'Internal error; unable to process your request. Please try again.' });
    }
    if (now < this.bannedUntil) {
      this.stats.requestsDuringPenalty++;
      this.stats.status418++;
      return send(418, { code: -1003, msg: `Way too much request weight used; IP banned until ${this.bannedUntil}.` }, { 'retry-after': String(Math.ceil((this.bannedUntil - now) / 1000)) });
    }
    if (now < this.retryAfterUntil) {
      // Binance bans IPs that keep calling after a 429.
      this.stats.requestsDuringPenalty++;
      this.ban(120_000);
      this.stats.status418++;
      return send(418, { code: -1003, msg: 'Way too many requests after 429; IP banned.' }, { 'retry-after': '120' });
    }
    const w = Math.floor(now / this.opts.weightWindowMs);
    if (w !== this.window) {
      this.window = w;
      this.used = 0;
    }
    if (url.pathname === '/fapi/v1/aggTrades' && this.forced429.count > 0) {
      this.forced429.count--;
      return this.reply429(send, now, this.forced429.retryAfterSec);
    }
    if (url.pathname === '/fapi/v1/fundingRate') {
      const fw = Math.floor(now / 300_000);
      if (fw !== this.fundingWindow) {
        this.fundingWindow = fw;
        this.fundingCalls = 0;
      }
      if (++this.fundingCalls > FUNDING_RATE_CALLS_PER_5MIN) return this.reply429(send, now, Math.max(1, Math.ceil(((fw + 1) * 300_000 - now) / 1000)));
    }
    this.used += route.weight;
    if (this.used > this.opts.weightLimit) {
      const sec = Math.max(1, Math.ceil(((w + 1) * this.opts.weightWindowMs - now) / 1000));
      return this.reply429(send, now, sec);
    }
    this.stats.maxUsedWeight = Math.max(this.stats.maxUsedWeight, this.used);
    const [status, body] = route.run(this, url.searchParams, now);
    send(status, body);
  }

  private reply429(send: (s: number, b: unknown, h?: Record<string, string>) => void, now: number, retryAfterSec: number): void {
    this.stats.status429++;
    this.retryAfterUntil = now + retryAfterSec * 1000;
    send(429, { code: -1003, msg: 'Too many requests; current limit is exceeded.' }, { 'retry-after': String(retryAfterSec) });
  }

  exchangeInfo(now: number): unknown {
    const listed = [...this.opts.market.symbols, ...Object.keys(this.opts.symbolStatus).filter((s) => !this.opts.market.hasSymbol(s))];
    return {
      timezone: 'UTC',
      serverTime: now,
      rateLimits: [{ rateLimitType: 'REQUEST_WEIGHT', interval: 'MINUTE', intervalNum: 1, limit: this.opts.weightLimit }],
      symbols: listed.map((symbol) => {
        const spec = this.opts.market.spec(symbol);
        const decimals = spec?.priceDecimals ?? 2;
        const qtyDecimals = spec?.qtyDecimals ?? 3;
        return {
          symbol,
          pair: symbol,
          contractType: 'PERPETUAL',
          status: this.opts.symbolStatus[symbol] ?? 'TRADING',
          baseAsset: symbol.replace(/USDT$/, ''),
          quoteAsset: 'USDT',
          pricePrecision: decimals,
          quantityPrecision: qtyDecimals,
          filters: [
            { filterType: 'PRICE_FILTER', tickSize: (10 ** -decimals).toFixed(decimals) },
            { filterType: 'LOT_SIZE', stepSize: (10 ** -qtyDecimals).toFixed(qtyDecimals) },
          ],
        };
      }),
    };
  }

  aggTrades(q: URLSearchParams): [number, unknown] {
    const symbol = q.get('symbol');
    if (!symbol) return [400, { code: -1102, msg: "Mandatory parameter 'symbol' was not sent, was empty/null, or malformed." }];
    if (!this.opts.market.hasSymbol(symbol)) return [400, { code: -1121, msg: 'Invalid symbol.' }];
    const limit = q.has('limit') ? Number(q.get('limit')) : 500;
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000) return [400, { code: -1130, msg: "Data sent for parameter 'limit' is not valid." }];
    const fromId = q.get('fromId');
    const start = q.get('startTime');
    const end = q.get('endTime');
    if (fromId !== null && (start !== null || end !== null)) return [400, { code: -1128, msg: 'Combination of optional parameters invalid.' }];
    let rows: SimTrade[];
    if (fromId !== null) {
      const id = Number(fromId);
      if (!Number.isSafeInteger(id) || id < 0) return [400, { code: -1100, msg: "Illegal characters found in parameter 'fromId'." }];
      rows = this.opts.market.fromId(symbol, id, limit);
    } else if (start !== null || end !== null) {
      const s = Number(start ?? Number(end) - 3_599_999);
      const e = Number(end ?? s + 3_599_999);
      if (!(e - s < 3_600_000)) return [400, { code: -1127, msg: 'More than 1 hours between startTime and endTime.' }];
      rows = this.opts.market.byTime(symbol, s, e, limit);
    } else {
      rows = this.opts.market.latest(symbol, limit);
    }
    return [200, rows.map((t) => ({ a: t.aggId, p: t.price, q: t.qty, f: t.firstTradeId, l: t.lastTradeId, T: t.time, m: t.isBuyerMaker }))];
  }

  /** `GET /fapi/v1/fundingRate`: settled events ascending; without a time range the newest `limit`; startTime + limit when more match. */
  fundingRate(q: URLSearchParams): [number, unknown] {
    const symbol = q.get('symbol');
    if (!symbol) return [400, { code: -1102, msg: "Mandatory parameter 'symbol' was not sent, was empty/null, or malformed." }];
    if (!this.opts.market.hasSymbol(symbol)) return [400, { code: -1121, msg: 'Invalid symbol.' }];
    const limit = q.has('limit') ? Number(q.get('limit')) : 100;
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000) return [400, { code: -1130, msg: "Data sent for parameter 'limit' is not valid." }];
    const start = q.get('startTime');
    const end = q.get('endTime');
    for (const [name, v] of [['startTime', start], ['endTime', end]] as const) {
      if (v !== null && !/^[0-9]{1,15}$/.test(v)) return [400, { code: -1100, msg: `Illegal characters found in parameter '${name}'.` }];
    }
    let rows: SimFunding[];
    if (start === null && end === null) rows = this.opts.marketData.latestFundings(symbol, limit);
    else rows = this.opts.marketData.fundingHistory(symbol, start === null ? 0 : Number(start), end === null ? Number.MAX_SAFE_INTEGER : Number(end), limit);
    return [200, rows.map((f) => ({ symbol: f.symbol, fundingRate: f.fundingRate, fundingTime: f.fundingTime, markPrice: f.markPrice }))];
  }
}

const routes: Record<string, { weight: number; run(api: RestApi, q: URLSearchParams, now: number): [number, unknown] }> = {
  '/fapi/v1/time': { weight: 1, run: (_api, _q, now) => [200, { serverTime: now }] },
  '/fapi/v1/ping': { weight: 1, run: () => [200, {}] },
  '/fapi/v1/exchangeInfo': { weight: 1, run: (api, _q, now) => [200, api.exchangeInfo(now)] },
  '/fapi/v1/aggTrades': { weight: 20, run: (api, q) => api.aggTrades(q) },
  // Binance counts fundingRate in its own 500-per-5-minutes budget; the minute's weight gains 1.
  '/fapi/v1/fundingRate': { weight: 1, run: (api, q) => api.fundingRate(q) },
};
