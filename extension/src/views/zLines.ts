// The z-score's alert levels as the Spread tabs (pair and basket) draw and colour them.
import type { Shape } from 'plotly.js';
import type { IThemeColors } from '../plotly';

/** The ±threshold lines (dashed) and the zero line (dotted) across a z chart's y axis. */
export function zAlertLines(colors: IThemeColors, threshold: number): Partial<Shape>[] {
  const line = (y: number, dash: 'dash' | 'dot'): Partial<Shape> => ({ type: 'line', xref: 'paper', yref: 'y', x0: 0, x1: 1, y0: y, y1: y, line: { color: colors.threshold, width: 1, dash } });
  return [line(threshold, 'dash'), line(-threshold, 'dash'), line(0, 'dot')];
}

/** The current-z card's tone: alert at the threshold, warn from three quarters of it. */
export function zTone(z: number | null, threshold: number): 'alert' | 'warn' | 'ok' | undefined {
  if (z === null) return undefined;
  return Math.abs(z) >= threshold ? 'alert' : Math.abs(z) >= threshold * 0.75 ? 'warn' : 'ok';
}
