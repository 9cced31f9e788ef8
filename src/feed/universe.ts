// The default universe: twelve liquid USD-M perpetuals and the pairs the simulated exchange cointegrates.

export interface PairSpec {
  y: string;
  x: string;
  /** y ≈ hedgeRatio · x + spread. */
  hedgeRatio: number;
  /** Mean-reversion speed of the spread per second (Ornstein–Uhlenbeck θ); half-life = ln 2 / θ. */
  meanReversion: number;
}

export interface SymbolSpec {
  symbol: string;
  basePrice: number;
  priceDecimals: number;
  qtyDecimals: number;
}

export const defaultSymbols: readonly string[] = [
  'BTCUSDT', 'ETHUSDT', 'SOLUSDT', 'AVAXUSDT', 'BNBUSDT', 'XRPUSDT',
  'ADAUSDT', 'DOGEUSDT', 'LINKUSDT', 'DOTUSDT', 'LTCUSDT', 'BCHUSDT',
];

const specs: Record<string, Omit<SymbolSpec, 'symbol'>> = {
  BTCUSDT: { basePrice: 64_000, priceDecimals: 1, qtyDecimals: 3 },
  ETHUSDT: { basePrice: 3_200, priceDecimals: 2, qtyDecimals: 3 },
  SOLUSDT: { basePrice: 150, priceDecimals: 2, qtyDecimals: 0 },
  AVAXUSDT: { basePrice: 30, priceDecimals: 3, qtyDecimals: 0 },
  BNBUSDT: { basePrice: 580, priceDecimals: 2, qtyDecimals: 2 },
  XRPUSDT: { basePrice: 0.6, priceDecimals: 4, qtyDecimals: 1 },
  ADAUSDT: { basePrice: 0.45, priceDecimals: 4, qtyDecimals: 0 },
  DOGEUSDT: { basePrice: 0.15, priceDecimals: 5, qtyDecimals: 0 },
  LINKUSDT: { basePrice: 14, priceDecimals: 3, qtyDecimals: 2 },
  DOTUSDT: { basePrice: 7, priceDecimals: 3, qtyDecimals: 1 },
  LTCUSDT: { basePrice: 80, priceDecimals: 2, qtyDecimals: 3 },
  BCHUSDT: { basePrice: 400, priceDecimals: 2, qtyDecimals: 3 },
};

export const defaultPairs: readonly PairSpec[] = [
  { y: 'BTCUSDT', x: 'ETHUSDT', hedgeRatio: 20, meanReversion: 0.02 },
  { y: 'SOLUSDT', x: 'AVAXUSDT', hedgeRatio: 5, meanReversion: 0.05 },
  { y: 'BNBUSDT', x: 'BCHUSDT', hedgeRatio: 1.45, meanReversion: 0.03 },
  { y: 'LINKUSDT', x: 'DOTUSDT', hedgeRatio: 2, meanReversion: 0.04 },
  { y: 'XRPUSDT', x: 'ADAUSDT', hedgeRatio: 1.33, meanReversion: 0.05 },
];

/** Price scale and decimals of a symbol; unknown symbols get a generic spec (the simulator invents markets). */
export function symbolSpec(symbol: string): SymbolSpec {
  const s = specs[symbol];
  if (s) return { symbol, ...s };
  let h = 0;
  for (const c of symbol) h = (h * 31 + c.charCodeAt(0)) >>> 0;
  return { symbol, basePrice: 1 + (h % 1000), priceDecimals: 3, qtyDecimals: 1 };
}
