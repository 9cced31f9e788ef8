import { SYMBOL_PATTERN } from './protocol';

/** Upper-cased, trimmed symbols without repeats, from a list or from text such as "btcusdt, ETHUSDT". */
export function normalizeSymbols(input: string | readonly string[]): string[] {
  const items = typeof input === 'string' ? input.split(/[\s,;]+/) : input;
  return [...new Set(items.map((s) => s.trim().toUpperCase()).filter(Boolean))];
}

/** Why `symbols` cannot be the universe, or `null` when they can. The sidebar and the settings say the same. */
export function universeProblem(symbols: readonly string[]): string | null {
  const bad = symbols.filter((s) => !SYMBOL_PATTERN.test(s));
  if (bad.length) return `Not a symbol: ${bad.join(', ')}. Use upper-case letters and digits, e.g. BTCUSDT.`;
  if (symbols.length < 2) return 'The universe needs at least two symbols.';
  return null;
}

/** The pair to show within `universe`: each leg stays where the universe has it, the others take its first symbols. */
export function pairWithin(universe: readonly string[], y: string, x: string): { y: string; x: string } {
  const hasY = universe.includes(y);
  const hasX = universe.includes(x);
  if (hasY && hasX) return { y, x };
  const [first, second] = universe;
  return { y: hasY ? y : (x === first ? second : first), x: hasX ? x : (y === second ? first : second) };
}
