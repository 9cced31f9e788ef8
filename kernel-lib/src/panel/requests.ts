// Parses and validates one panel request (a JSON text) against the protocol: field specs per kind, then the
// rules that span fields. Nothing here evaluates or interpolates a value: strings stay data.
import {
  LIMITS, REQUEST_KINDS, SYMBOL_PATTERN, TIMEFRAME_PATTERN,
  type PanelRequest, type PanelRequestKind,
} from '../protocol';
import { RequestError, check, checkFields, type CheckContext, type Spec } from './schema';

const WATCHED_PAIR = /^[A-Z0-9][A-Z0-9_-]{1,39}\/[A-Z0-9][A-Z0-9_-]{1,39}$/;
const num = (range: { min: number; max: number }, integer = false, optional = true): Spec =>
  ({ type: 'number', min: range.min, max: range.max, integer, optional });
const time: Spec = { type: 'number', min: 0, max: 8.64e15, integer: true, optional: true };
const positive: Spec = { type: 'number', min: 0, max: 1e15, optional: true };
const symbol = (optional = false, inUniverse = true): Spec =>
  ({ type: 'string', pattern: SYMBOL_PATTERN, patternHint: 'an upper-case symbol such as BTCUSDT', symbol: inUniverse, optional });
const timeframe: Spec = { type: 'string', pattern: TIMEFRAME_PATTERN, patternHint: 'a bar length such as 1s, 1m, 5m or 1h' };
const hedge: Spec = { type: 'string', oneOf: ['ols', 'huber', 'kalman'], optional: true };
const feed: Spec = { type: 'string', oneOf: ['binance', 'simulated'], optional: true };
const symbolList = (inUniverse: boolean, optional: boolean): Spec =>
  ({ type: 'array', of: symbol(false, inUniverse), minItems: LIMITS.universe.min, maxItems: LIMITS.universe.max, unique: true, optional });

const basket: Record<string, Spec> = {
  legs: { type: 'array', of: symbol(), minItems: LIMITS.basketLegs.min, maxItems: LIMITS.basketLegs.max, unique: true, countHint: 'a basket has 2 to 6 distinct legs' },
  weights: { type: 'string', oneOf: ['johansen', 'eg'], optional: true },
  timeframe, window: num(LIMITS.window, true), minVolume: positive, from: time, to: time, maxBars: num(LIMITS.maxBars, true),
};
const pair: Record<string, Spec> = {
  y: symbol(), x: symbol(), timeframe,
  window: num(LIMITS.window, true), hedge, hedgeWindow: num(LIMITS.hedgeWindow, true),
  minVolume: positive, from: time, to: time, maxBars: num(LIMITS.maxBars, true),
};
const strategy: Record<string, Spec> = {
  entry: num(LIMITS.z, false, false), exit: num(LIMITS.exitZ, false, false), stop: num(LIMITS.z),
  maxHoldBars: num({ min: 1, max: 10_000_000 }, true), cooldownBars: num({ min: 0, max: 10_000_000 }, true),
};
const execution: Record<string, Spec> = {
  fillAt: { type: 'string', oneOf: ['open', 'close'], optional: true },
  sizing: { type: 'string', oneOf: ['dollarNeutral', 'hedgeUnits', 'hedgeNotional'], optional: true },
  notional: { type: 'number', min: 1e-6, max: 1e12, optional: true },
  feeBps: num(LIMITS.bps), slippageBps: num(LIMITS.bps),
  initialCapital: { type: 'number', min: 1e-6, max: 1e15, optional: true },
};
const costModel: Record<string, Spec> = {
  funding: { type: 'string', oneOf: ['recorded', 'none'], optional: true },
  fills: { type: 'string', oneOf: ['quotes', 'bars'], optional: true },
};
const alertRules: Spec = {
  type: 'object', optional: true, fields: {
    zScore: num(LIMITS.z), spreadWidth: positive, minCorrelation: num({ min: -1, max: 1 }),
    maxAdfPValue: num({ min: 0, max: 1 }), staleSeconds: num({ min: 1, max: 86_400 * 30 }),
  },
};
const sinceSeq: Spec = { type: 'number', min: 0, max: Number.MAX_SAFE_INTEGER, integer: true, optional: true };
const zList: Spec = { type: 'array', of: num(LIMITS.z, false, false), minItems: 1, maxItems: 100, unique: true };
const fraction: Spec = { type: 'number', min: 0.1, max: 0.95 };

/** Field specs of every request kind (besides `id` and `kind`). */
export const REQUEST_FIELDS: Readonly<Record<PanelRequestKind, Readonly<Record<string, Spec>>>> = {
  init: { dataDir: { type: 'string', minLength: 1, maxLength: 4096, optional: true }, universe: symbolList(false, true), feed },
  config: {},
  symbols: {},
  snapshot: {
    ...pair, alerts: alertRules, maxLag: num(LIMITS.maxLag, true), sinceSeq,
    overview: { type: 'object', optional: true, fields: { buckets: num(LIMITS.buckets, true, false), tailBars: num(LIMITS.tailBars, true, false) } },
  },
  seriesRange: {
    ...pair,
    range: { type: 'object', fields: { start: { ...time, optional: false }, end: { ...time, optional: false } } },
    buckets: num(LIMITS.buckets, true, false),
  },
  backtest: { ...pair, ...strategy, ...execution, ...costModel },
  paper: {
    ...pair, ...strategy, ...execution, action: { type: 'string', oneOf: ['start', 'status', 'stop'] },
    name: { type: 'string', pattern: /^[A-Za-z0-9_-][A-Za-z0-9._-]{0,63}$/, patternHint: '1–64 letters, digits, ".", "_" or "-"', optional: true },
  },
  paramSearch: {
    ...pair, ...execution,
    grid: {
      type: 'object', fields: {
        entry: zList, exit: { ...zList, of: num(LIMITS.exitZ, false, false) }, stop: { ...zList, optional: true },
        window: { type: 'array', of: num(LIMITS.window, true, false), minItems: 1, maxItems: 50, unique: true, optional: true },
        hedge: { type: 'array', of: { type: 'string', oneOf: ['ols', 'huber', 'kalman'] }, minItems: 1, maxItems: 3, unique: true, optional: true },
      },
    },
    validation: {
      type: 'variant', tag: 'mode', optional: true, variants: {
        trainTest: { trainFraction: fraction },
        walkForward: { folds: num(LIMITS.folds, true, false), trainFraction: { ...fraction, optional: true } },
      },
    },
    objective: { type: 'string', oneOf: ['sharpe', 'totalReturn', 'calmar'], optional: true },
  },
  scan: {
    symbols: symbolList(true, true), timeframe, from: time, to: time, maxBars: num(LIMITS.maxBars, true),
    minVolume: positive, limit: num(LIMITS.rows, true),
  },
  importCsv: {
    text: { type: 'string', minLength: LIMITS.csvChars.min, maxLength: LIMITS.csvChars.max },
    timeframe,
    fileName: { type: 'string', maxLength: 1024, optional: true },
  },
  exportCsv: {
    ...pair, ...execution, ...costModel,
    entry: num(LIMITS.z), exit: num(LIMITS.exitZ), stop: num(LIMITS.z),
    maxHoldBars: strategy.maxHoldBars, cooldownBars: strategy.cooldownBars,
    what: { type: 'string', oneOf: ['analytics', 'bars', 'trades'] },
    timeZone: { type: 'string', optional: true, maxLength: 64, pattern: /^[A-Za-z][A-Za-z0-9_+-]*(?:\/[A-Za-z0-9_+-]+){0,2}$/, patternHint: 'an IANA time zone name such as Asia/Singapore or UTC' },
  },
  alerts: { y: symbol(true), x: symbol(true), since: time, limit: num(LIMITS.rows, true) },
  health: {},
  watchlist: {
    timeframe, window: pair.window, hedge, hedgeWindow: pair.hedgeWindow, minVolume: positive, alerts: alertRules, sinceSeq,
    add: { type: 'array', of: { type: 'object', fields: { y: symbol(), x: symbol() } }, minItems: 1, maxItems: LIMITS.watchEdits.max, optional: true },
    remove: { type: 'array', of: { type: 'string', pattern: WATCHED_PAIR, patternHint: 'a watched pair written Y/X, such as BTCUSDT/ETHUSDT' }, minItems: 1, maxItems: LIMITS.watchEdits.max, unique: true, optional: true },
  },
  setUniverse: { symbols: symbolList(false, false) },
  setFeedSource: { source: { type: 'string', oneOf: ['binance', 'simulated', 'none'] } },
  basket,
  basketBacktest: { ...basket, ...strategy, ...execution, ...costModel },
};

/** Reads the request's `id` when it can, so even a refusal can be matched to its request. */
export function peekRequestId(json: string): string {
  try {
    const value: unknown = JSON.parse(json);
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
      const id = (value as Record<string, unknown>).id;
      if (typeof id === 'string' && id.length <= 200) return id;
    }
  } catch {
    // the caller reports the parse error
  }
  return '';
}

/**
 * Parses one request. Throws {@link RequestError} (with `field`) for malformed JSON, unknown kinds or fields,
 * wrong types, out-of-range values, symbols outside `universe` and inconsistent settings.
 */
export function parsePanelRequest(json: string, universe: readonly string[]): PanelRequest {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (err) {
    throw new RequestError(`the request is not valid JSON (${err instanceof Error ? err.message : String(err)}); send JSON.stringify of the request object`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new RequestError('the request must be a JSON object with "id" and "kind"');
  }
  const record = value as Record<string, unknown>;
  if (record.id === undefined) throw new RequestError('missing field id: every request needs an id, which its reply echoes', 'id');
  check(record.id, { type: 'string', minLength: 1, maxLength: 200 }, 'id', {});
  const kind = record.kind;
  if (typeof kind !== 'string' || !(REQUEST_KINDS as readonly string[]).includes(kind)) {
    throw new RequestError(`kind must be one of ${REQUEST_KINDS.join(', ')}, not ${JSON.stringify(kind)}`, 'kind');
  }
  const ctx: CheckContext = { universe: new Set(universe) };
  const fields = REQUEST_FIELDS[kind as PanelRequestKind];
  checkFields(record, { id: { type: 'string' }, kind: { type: 'string' }, ...fields }, '', ctx);
  checkRules(record);
  return record as unknown as PanelRequest;
}

/** Rules that involve more than one field. */
function checkRules(r: Record<string, unknown>): void {
  const n = (key: string): number | undefined => (typeof r[key] === 'number' ? (r[key] as number) : undefined);
  if (typeof r.y === 'string' && r.y === r.x) throw new RequestError(`x must differ from y (both are ${r.y})`, 'x');
  const from = n('from');
  const to = n('to');
  if (from !== undefined && to !== undefined && from >= to) throw new RequestError(`from (${from}) must be before to (${to})`, 'from');
  const range = r.range as { start: number; end: number } | undefined;
  if (range && range.start >= range.end) throw new RequestError(`range.start (${range.start}) must be before range.end (${range.end})`, 'range.start');
  const entry = n('entry');
  const exit = n('exit');
  const stop = n('stop');
  if (entry !== undefined && exit !== undefined && exit >= entry) throw new RequestError(`exit (${exit}) must be below entry (${entry})`, 'exit');
  if (entry !== undefined && exit !== undefined && exit < -entry) throw new RequestError(`exit (${exit}) must be at least −entry (${-entry}): −entry exits at the mirror level`, 'exit');
  if (entry !== undefined && stop !== undefined && stop <= entry) throw new RequestError(`stop (${stop}) must be above entry (${entry})`, 'stop');
  if (r.kind === 'exportCsv' && r.what === 'trades' && (entry === undefined || exit === undefined)) {
    throw new RequestError('exporting trades needs the strategy: give entry and exit', entry === undefined ? 'entry' : 'exit');
  }
  if (r.kind === 'paramSearch') checkGrid(r.grid as Record<string, unknown[] | undefined>);
}

function checkGrid(grid: Record<string, unknown[] | undefined>): void {
  const entries = grid.entry as number[];
  const exits = grid.exit as number[];
  if (!entries.some((entry) => exits.some((exit) => exit < entry && exit >= -entry))) {
    throw new RequestError('grid.exit has no value below any grid.entry value (and at least −entry); every exit must be below its entry and at least −entry', 'grid.exit');
  }
  const stops = grid.stop as number[] | undefined;
  if (stops && Math.max(...stops) <= Math.min(...entries)) {
    throw new RequestError('grid.stop has no value above any grid.entry value; a stop must be above its entry', 'grid.stop');
  }
  const combinations = Object.values(grid).reduce((total, list) => total * (list?.length ?? 1), 1);
  if (combinations > LIMITS.gridCombinations.max) {
    throw new RequestError(`the grid has ${combinations} combinations; at most ${LIMITS.gridCombinations.max} are allowed, so use fewer values`, 'grid');
  }
}
