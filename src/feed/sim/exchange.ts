// A simulated Binance USD-M futures exchange on loopback: the routed WebSocket paths (`/market` carries
// aggTrade and markPrice@1s, `/public` bookTicker; a stream on another path, or an unrouted one, is
// acknowledged and stays silent, as Binance does),
// the control requests (./control.ts), server pings, the 24 h connection limit, the REST endpoints,
// and fault injection for tests.
import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import WebSocket, { WebSocketServer } from 'ws';
import { type Clock, offsetClock, systemClock, type TimerHandle } from '../clock';
import { aggTradeStream } from '../parse';
import { bookTickerStream, markPriceStream, streamRoute } from '../streams';
import { defaultPairs, defaultSymbols, type PairSpec } from '../universe';
import { type ControlOutcome, handleControl, invalidJsonFrame } from './control';
import { type MalformedKind, malformedFrame, malformedKinds, oversizedFrame } from './malformed';
import { SimMarket, type SimTrade } from './market';
import { type SimFunding, type SimMark, SimMarketData, type SimQuote } from './market-data';
import { RestApi, type RestStats, type ServerTimeFault } from './rest-api';

export interface SimulatedExchangeOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  host?: string;
  symbols?: readonly string[];
  pairs?: readonly PairSpec[];
  seed?: number;
  clock?: Clock;
  /** The exchange's clock runs this far ahead of `clock` (negative: behind): trade and event times, /fapi/v1/time. */
  clockSkewMs?: number;
  /** Mean trades/s of clock time over all symbols. Default 40. */
  tradesPerSecond?: number;
  /** Best bid/ask changes per second of clock time over all symbols, besides the one after every trade. Default: the trade rate. */
  quotesPerSecond?: number;
  /** Days of funding history before the start that `GET /fapi/v1/fundingRate` serves. Default 30. */
  fundingHistoryDays?: number;
  /** Bursts and quiet periods. Default true. */
  bursts?: boolean;
  /** How often trades are generated and sent, in wall ms. Default 20. */
  tickMs?: number;
  pingIntervalMs?: number;
  pongTimeoutMs?: number;
  maxConnectionAgeMs?: number;
  weightLimit?: number;
  weightWindowMs?: number;
  symbolStatus?: Record<string, string>;
  historyLimit?: number;
  /** Faults in force from the start (each can be changed later through `faults`). */
  faults?: { refuseConnections?: boolean; stall?: boolean; rest429?: { count: number; retryAfterSec: number }; rest418Ms?: number; serverTime?: ServerTimeFault };
}

export interface SimConnectionInfo {
  id: number;
  path: string;
  /** The path is one of Binance's routes (`/market`, `/public`, `/private`); only streams of that route get data. */
  routed: boolean;
  route: 'market' | 'public' | 'private' | null;
  subscriptions: string[];
  openedAt: number;
  framesSent: number;
}

export interface SimStats extends RestStats {
  connectionsOpened: number;
  connectionsRefused: number;
  openConnections: SimConnectionInfo[];
  /** Every stream name ever subscribed, in order (URL or SUBSCRIBE). */
  subscribed: string[];
  controlMessages: number;
  tradesMade: number;
  quotesMade: number;
  marksMade: number;
  /** Funding settlements made since the start (every symbol, every 8 h of clock time). */
  fundingsMade: number;
  framesSent: number;
  pongs: number;
  lifetimeCloses: number;
}

export interface SimulatedExchange {
  readonly port: number;
  /** WebSocket base, e.g. `ws://127.0.0.1:40123`; the client appends `/market/stream?...`. */
  readonly wsUrl: string;
  readonly restUrl: string;
  readonly simulated: true;
  readonly market: SimMarket;
  readonly marketData: SimMarketData;
  readonly faults: SimFaults;
  stats(): SimStats;
  setTradesPerSecond(rate: number): void;
  /** Best bid/ask changes per second besides the one after every trade. */
  setQuotesPerSecond(rate: number): void;
  close(): Promise<void>;
}

export interface SimFaults {
  /** Terminates every client socket (network failure). Returns how many. */
  dropConnections(): number;
  /** Keeps sockets open but sends nothing (no data, no pings) until `resumeConnections()`. */
  stallConnections(): void;
  resumeConnections(): void;
  /** Sends one frame of each kind to every routed connection, shaped like its first stream's payload. */
  sendMalformed(kinds?: readonly MalformedKind[]): number;
  /** Sends one valid-looking aggTrade frame of `bytes` bytes (padded) to every routed connection, between its trades. */
  sendOversized(bytes: number): number;
  /** Makes `n` trades of `symbol` that the WebSocket never shows (REST has them). */
  skipIds(symbol: string, n: number): void;
  /** Refuses new WebSocket connections (HTTP 503 on upgrade). */
  refuseConnections(refuse: boolean): void;
  /** Closes every connection as the exchange does at the 24 h limit. */
  forceLifetimeClose(): number;
  /** The next `count` aggTrades calls get HTTP 429 with this Retry-After. */
  rest429(count: number, retryAfterSec: number): void;
  /** Bans REST for `ms`: every call gets HTTP 418. */
  rest418(ms: number): void;
  /** `/fapi/v1/time` answers 503 (`error`), never answers (`no_reply`), or works again (`none`). */
  serverTime(fault: ServerTimeFault): void;
}

interface Client {
  info: SimConnectionInfo;
  ws: WebSocket;
  combined: boolean;
  lastPong: number;
  messageTimes: number[];
}

export async function startSimulatedExchange(opts: SimulatedExchangeOptions = {}): Promise<SimulatedExchange> {
  const clock = offsetClock(opts.clock ?? systemClock, opts.clockSkewMs ?? 0);
  const symbols = [...(opts.symbols ?? defaultSymbols)];
  const pairs = (opts.pairs ?? defaultPairs).filter((p) => symbols.includes(p.y) && symbols.includes(p.x));
  const market = new SimMarket({ symbols, pairs, seed: opts.seed ?? 1, clock, tradesPerSecond: opts.tradesPerSecond ?? 40, bursts: opts.bursts ?? true, historyLimit: opts.historyLimit ?? 2_000_000 });
  const marketData = new SimMarketData(market, clock, { quotesPerSecond: opts.quotesPerSecond ?? opts.tradesPerSecond ?? 40, fundingHistoryDays: opts.fundingHistoryDays ?? 30, seed: opts.seed ?? 1 });
  market.setQuoteSource((symbol) => marketData.quote(symbol));
  const rest = new RestApi({ clock, market, marketData, weightLimit: opts.weightLimit ?? 2400, weightWindowMs: opts.weightWindowMs ?? 60_000, symbolStatus: opts.symbolStatus ?? {} });
  const clients = new Set<Client>();
  let nextId = 1;
  let stalled = opts.faults?.stall ?? false;
  let refusing = opts.faults?.refuseConnections ?? false;
  if (opts.faults?.rest429) rest.force429(opts.faults.rest429.count, opts.faults.rest429.retryAfterSec);
  if (opts.faults?.rest418Ms) rest.ban(opts.faults.rest418Ms);
  if (opts.faults?.serverTime) rest.serverTimeFault(opts.faults.serverTime);
  const counters = { connectionsOpened: 0, connectionsRefused: 0, controlMessages: 0, tradesMade: 0, quotesMade: 0, marksMade: 0, fundingsMade: 0, framesSent: 0, pongs: 0, lifetimeCloses: 0 };
  const subscribed: string[] = [];
  const maxAge = opts.maxConnectionAgeMs ?? 24 * 3_600_000;
  const pongTimeout = opts.pongTimeoutMs ?? 600_000;

  const server: Server = createServer((req, res) => rest.handle(req, res));
  const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false });
  const sockets = new Set<Socket>();
  server.on('connection', (s) => { sockets.add(s); s.on('close', () => sockets.delete(s)); });

  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://sim');
    const m = /^\/(market|public|private)?\/?(stream|ws)(?:\/(.*))?$/.exec(url.pathname);
    if (refusing || !m) {
      counters.connectionsRefused++;
      socket.end(`HTTP/1.1 ${refusing ? '503 Service Unavailable' : '404 Not Found'}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      const streams = m[2] === 'stream' ? (url.searchParams.get('streams') ?? '').split('/') : (m[3] ?? '').split('/');
      const route = (m[1] ?? null) as SimConnectionInfo['route'];
      const info: SimConnectionInfo = { id: nextId++, path: url.pathname, routed: route !== null, route, subscriptions: [], openedAt: clock.now(), framesSent: 0 };
      const client: Client = { info, ws, combined: m[2] === 'stream', lastPong: clock.now(), messageTimes: [] };
      for (const s of streams.filter((s) => s.length > 0)) subscribe(client, s);
      counters.connectionsOpened++;
      clients.add(client);
      ws.on('pong', () => { client.lastPong = clock.now(); counters.pongs++; });
      ws.on('message', (data, isBinary) => onControl(client, data.toString(), isBinary));
      ws.on('close', () => clients.delete(client));
      ws.on('error', () => clients.delete(client));
    });
  });

  function subscribe(c: Client, stream: string): void {
    if (!c.info.subscriptions.includes(stream)) c.info.subscriptions.push(stream);
    subscribed.push(stream);
  }

  function send(c: Client, frame: string | Buffer): void {
    if (c.ws.readyState !== WebSocket.OPEN) return;
    // A client that stopped reading this long is dropped, as Binance does.
    if (c.ws.bufferedAmount > 256 * 1024 * 1024) {
      c.ws.terminate();
      return;
    }
    c.ws.send(frame, { binary: Buffer.isBuffer(frame) });
    c.info.framesSent++;
    counters.framesSent++;
  }

  function onControl(c: Client, text: string, isBinary: boolean): void {
    counters.controlMessages++;
    const now = clock.now();
    c.messageTimes = c.messageTimes.filter((t) => now - t < 1000);
    c.messageTimes.push(now);
    if (c.messageTimes.length > 10) {
      c.ws.close(1008, 'Too many requests');
      return;
    }
    if (isBinary) {
      send(c, invalidJsonFrame);
      c.ws.close(1008, 'Invalid JSON');
      return;
    }
    apply(c, handleControl(text, { subscriptions: c.info.subscriptions, combined: c.combined }));
  }

  function apply(c: Client, out: ControlOutcome): void {
    for (const s of out.subscribe ?? []) subscribe(c, s);
    if (out.unsubscribe) {
      const gone = new Set(out.unsubscribe);
      c.info.subscriptions = c.info.subscriptions.filter((s) => !gone.has(s));
    }
    if (out.combined !== undefined) c.combined = out.combined;
    send(c, out.reply);
    if (out.close) c.ws.close(out.close.code, out.close.reason);
  }

  /** Sends one payload to every connection on the stream's route that subscribed it. */
  function fanOut(listeners: readonly Client[], stream: string, data: string): void {
    let combined: string | undefined;
    for (const c of listeners) {
      if (!c.info.subscriptions.includes(stream)) continue;
      send(c, c.combined ? (combined ??= `{"stream":"${stream}","data":${data}}`) : data);
    }
  }

  function broadcast(trades: readonly SimTrade[], quotes: readonly SimQuote[], marks: readonly SimMark[], fundings: readonly SimFunding[]): void {
    counters.tradesMade += trades.length;
    counters.quotesMade += quotes.length;
    counters.marksMade += marks.length;
    counters.fundingsMade += fundings.length;
    if (stalled) return;
    const onRoute = (route: 'market' | 'public'): Client[] => [...clients].filter((c) => c.info.route === route && c.info.subscriptions.length > 0);
    const market = onRoute('market');
    const pub = onRoute('public');
    if (market.length > 0) {
      for (const t of trades) {
        fanOut(market, aggTradeStream(t.symbol), `{"e":"aggTrade","E":${t.time + 1},"s":"${t.symbol}","a":${t.aggId},"p":"${t.price}","q":"${t.qty}","f":${t.firstTradeId},"l":${t.lastTradeId},"T":${t.time},"m":${t.isBuyerMaker}}`);
      }
      for (const k of marks) {
        fanOut(market, markPriceStream(k.symbol), `{"e":"markPriceUpdate","E":${k.time},"s":"${k.symbol}","p":"${k.markPrice}","i":"${k.indexPrice}","P":"${k.estimatedSettlePrice}","r":"${k.fundingRate}","T":${k.nextFundingTime}}`);
      }
    }
    for (const q of pub.length > 0 ? quotes : []) {
      fanOut(pub, bookTickerStream(q.symbol), `{"e":"bookTicker","u":${q.updateId},"E":${q.time + 1},"T":${q.time},"s":"${q.symbol}","b":"${q.bid}","B":"${q.bidQty}","a":"${q.ask}","A":"${q.askQty}"}`);
    }
  }

  const timers: TimerHandle[] = [];
  const tick = setInterval(() => {
    const trades = market.step();
    const { quotes, marks, fundings } = marketData.step(trades);
    broadcast(trades, quotes, marks, fundings);
    const now = clock.now();
    for (const c of clients) {
      if (now - c.info.openedAt >= maxAge) {
        counters.lifetimeCloses++;
        c.ws.close(1001, 'connection lifetime limit (24 h) reached');
      }
    }
  }, opts.tickMs ?? 20);
  tick.unref();
  timers.push({ cancel: () => clearInterval(tick) });
  timers.push(clock.setInterval(() => {
    if (stalled) return;
    const now = clock.now();
    for (const c of clients) {
      if (now - c.lastPong > pongTimeout) c.ws.terminate();
      else if (c.ws.readyState === WebSocket.OPEN) c.ws.ping(String(now));
    }
  }, opts.pingIntervalMs ?? 180_000));

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const host = opts.host ?? '127.0.0.1';

  const faults: SimFaults = {
    dropConnections() {
      const n = clients.size;
      for (const c of clients) c.ws.terminate();
      return n;
    },
    stallConnections() { stalled = true; },
    resumeConnections() { stalled = false; },
    sendMalformed(kinds = malformedKinds) {
      let n = 0;
      for (const c of clients) {
        const stream = c.info.subscriptions[0];
        if (!c.info.routed || stream === undefined || streamRoute(stream) !== c.info.route) continue;
        for (const k of kinds) {
          send(c, malformedFrame(k, stream, stream.split('@')[0].toUpperCase(), clock.now()));
          n++;
        }
      }
      return n;
    },
    sendOversized(bytes) {
      let n = 0;
      for (const c of clients) {
        if (!c.info.routed || c.info.subscriptions.length === 0) continue;
        const stream = c.info.subscriptions[0];
        send(c, oversizedFrame(stream, stream.split('@')[0].toUpperCase(), clock.now(), bytes));
        n++;
      }
      return n;
    },
    skipIds(symbol, n) {
      counters.tradesMade += market.trades(symbol, n).length;
    },
    refuseConnections(refuse) { refusing = refuse; },
    forceLifetimeClose() {
      const n = clients.size;
      for (const c of clients) {
        counters.lifetimeCloses++;
        c.ws.close(1001, 'connection lifetime limit (24 h) reached');
      }
      return n;
    },
    rest429(count, retryAfterSec) { rest.force429(count, retryAfterSec); },
    rest418(ms) { rest.ban(ms); },
    serverTime(fault) { rest.serverTimeFault(fault); },
  };

  return {
    port,
    wsUrl: `ws://${host}:${port}`,
    restUrl: `http://${host}:${port}`,
    simulated: true,
    market,
    marketData,
    faults,
    stats: () => ({ ...rest.stats, ...counters, subscribed: [...subscribed], openConnections: [...clients].map((c) => ({ ...c.info, subscriptions: [...c.info.subscriptions] })) }),
    setTradesPerSecond: (rate) => market.setTradesPerSecond(rate),
    setQuotesPerSecond: (rate) => marketData.setQuotesPerSecond(rate),
    async close() {
      for (const t of timers) t.cancel();
      for (const c of clients) c.ws.terminate();
      wss.close();
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
