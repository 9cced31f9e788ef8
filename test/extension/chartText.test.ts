// A chart's annotation text (extension/src/chartText.ts): broken into lines that fit the chart, escaped for Plotly.
import { describe, expect, it } from 'vitest';
import { annotationText } from '../../extension/src/chartText';

describe('annotation text', () => {
  const waiting = 'The z-score needs 119 bars (60 for the first hedge fit, then 60 spread values for the rolling window), 109 so far — about 10 s at 1s; or choose a shorter rolling window or hedge window.';

  it('breaks a long text into lines that fit the width, keeping every word in order', () => {
    const text = annotationText(waiting, 700, 11);
    const lines = text.split('<br>');
    expect(lines.length).toBeGreaterThan(1);
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(Math.floor(700 / (11 * 0.58)));
    expect(lines.join(' ')).toBe(waiting);
  });

  it('keeps a text that fits on one line, and a word longer than a line whole', () => {
    expect(annotationText('No bars yet.', 700, 11)).toBe('No bars yet.');
    const long = 'x'.repeat(80);
    expect(annotationText(`a ${long} b`, 200, 11).split('<br>')).toEqual(['a', long, 'b']);
  });

  it('escapes what Plotly would read as markup', () => {
    expect(annotationText('p < 0.05 & n > 30', 700, 11)).toBe('p &lt; 0.05 &amp; n &gt; 30');
  });
});
