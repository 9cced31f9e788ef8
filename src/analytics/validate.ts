/** Input checks shared by every analytics function. Errors name the argument and say what to do. */

export type Series = Float64Array | readonly number[];

/** Thrown for input an estimator cannot use (NaN, mismatched lengths, too short, constant). */
export class AnalyticsInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AnalyticsInputError';
  }
}

export function toFloat64(values: Series): Float64Array {
  return values instanceof Float64Array ? values : Float64Array.from(values);
}

export function assertFinite(values: Float64Array, name: string): void {
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i])) {
      throw new AnalyticsInputError(
        `${name}[${i}] is ${values[i]}: this estimator needs finite values only; drop or fill gaps (NaN/Infinity) first`,
      );
    }
  }
}

export function assertSameLength(a: ArrayLike<number>, b: ArrayLike<number>, nameA: string, nameB: string): void {
  if (a.length !== b.length) {
    throw new AnalyticsInputError(`${nameA} has ${a.length} values but ${nameB} has ${b.length}: align the two series first`);
  }
}

export function assertMinLength(values: ArrayLike<number>, min: number, name: string, what: string): void {
  if (values.length < min) {
    throw new AnalyticsInputError(`${name} has ${values.length} values; ${what} needs at least ${min}`);
  }
}

export function isConstant(values: ArrayLike<number>, from = 0, to = values.length): boolean {
  const first = values[from];
  for (let i = from + 1; i < to; i++) if (values[i] !== first) return false;
  return true;
}

export function assertNotConstant(values: Float64Array, name: string, what: string): void {
  if (isConstant(values)) {
    throw new AnalyticsInputError(`${name} is constant (every value ${values[0]}): ${what} is undefined for a series with no variation`);
  }
}

export function assertWindow(window: number, name = 'window', min = 1): void {
  if (!Number.isInteger(window) || window < min) {
    throw new AnalyticsInputError(`${name} must be an integer ≥ ${min}, got ${window}`);
  }
}

/** Finite, same length, at least `min` points: the usual preamble of a two-series estimator. */
export function finitePair(y: Series, x: Series, min: number, what: string): [Float64Array, Float64Array] {
  const yf = toFloat64(y);
  const xf = toFloat64(x);
  assertSameLength(yf, xf, 'y', 'x');
  assertMinLength(yf, min, 'y', what);
  assertFinite(yf, 'y');
  assertFinite(xf, 'x');
  return [yf, xf];
}

export function mean(values: ArrayLike<number>, from = 0, to = values.length): number {
  let s = 0;
  for (let i = from; i < to; i++) s += values[i];
  const m = s / (to - from);
  // second pass removes the rounding of the first sum (as numpy/pandas' accurate means do)
  let c = 0;
  for (let i = from; i < to; i++) c += values[i] - m;
  return m + c / (to - from);
}
