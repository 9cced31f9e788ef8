/** Default execution settings and the merge of a caller's partial settings over them. */
import type { ExecutionSettings } from './types';
import { validateExecution } from './validate';

/** Binance USD-M regular tier fees (maker 0.02%, taker 0.05%), market orders at the next bar's open. */
export const defaultExecution: Readonly<ExecutionSettings> = Object.freeze({
  fillAt: 'open',
  sizing: 'dollarNeutral',
  notionalPerLeg: 5_000,
  capital: 10_000,
  makerFeeBps: 2,
  takerFeeBps: 5,
  liquidity: 'taker',
  slippageBps: 1,
});

export function resolveExecution(overrides: Partial<ExecutionSettings> = {}): ExecutionSettings {
  const merged: ExecutionSettings = { ...defaultExecution };
  for (const [key, value] of Object.entries(overrides) as [keyof ExecutionSettings, never][]) {
    if (value !== undefined) merged[key] = value;
  }
  validateExecution(merged);
  return merged;
}
