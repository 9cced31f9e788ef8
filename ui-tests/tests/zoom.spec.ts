// Opening a long view: the kernel sends its older bars thinned, the charts still span every bar; a zoom by dragging
// over older bars fetches their detail, after which the chart draws exactly the bars a full reply holds there.
import { expect, galata, test } from '@jupyterlab/galata';
import type { Page } from '@playwright/test';
import { LONG_X, LONG_Y, longCsv, LONG_ROWS_PER_SYMBOL } from './fixtures';
import { PLUGIN, TEST_SETTINGS, chart, control, openTab, panel, stopRefreshes, waitForPanelApp } from './helpers';

// on UTC the chart's x values are the bar times themselves
test.use({ timezoneId: 'UTC', waitForApplication: waitForPanelApp, mockSettings: { ...galata.DEFAULT_SETTINGS, [PLUGIN]: TEST_SETTINGS } });

/** The z-score chart's drawn line: x as Plotly holds it and y. */
async function drawnLine(page: Page): Promise<{ x: number[]; y: Array<number | null> }> {
  return chart(page, 'zscore').locator('.pl-Chart-plot').evaluate((gd) => {
    const trace = (gd as unknown as { data: Array<{ x: unknown[]; y: Array<number | null> }> }).data[0];
    return { x: trace.x.map((v) => (typeof v === 'number' ? v : Date.parse(String(v)))), y: trace.y };
  });
}

test('a long view opens thinned; zooming into old bars draws exactly the bars of a full reply', async ({ page }) => {
  await expect(panel(page)).toHaveAttribute('data-kernel-state', 'ready', { timeout: 90_000 });
  await control(page, 'csv-file').setInputFiles({ name: 'long.csv', mimeType: 'text/csv', buffer: Buffer.from(longCsv()) });
  await control(page, 'csv-timeframe').fill('1m');
  await panel(page).locator('[data-action="upload-csv"]').click();
  await expect(panel(page).locator('[data-message="csv"]')).toContainText(`Imported ${2 * LONG_ROWS_PER_SYMBOL} bars`, { timeout: 90_000 });
  await control(page, 'y').selectOption(LONG_Y);
  await control(page, 'x').selectOption(LONG_X);
  await control(page, 'timeframe').selectOption('1m');
  await openTab(page, 'Spread & Z-Score');
  await expect(panel(page)).toHaveAttribute('data-bars', String(LONG_ROWS_PER_SYMBOL), { timeout: 60_000 });
  await stopRefreshes(page);
  await expect(panel(page)).toHaveAttribute('data-thinned', 'true');
  await expect(chart(page, 'zscore')).toHaveAttribute('data-points', String(LONG_ROWS_PER_SYMBOL));

  // zoomed out, the line spans the view with fewer points than bars
  const whole = await drawnLine(page);
  expect(whole.x.length).toBeLessThan(LONG_ROWS_PER_SYMBOL);
  const span = whole.x[whole.x.length - 1] - whole.x[0];
  expect(span).toBeGreaterThan((LONG_ROWS_PER_SYMBOL - 100) * 60_000);

  // drag a box over 4% of the plot, a third of the way in: old bars, well before the newest 1,000
  const drag = chart(page, 'zscore').locator('.nsewdrag').first();
  const box = (await drag.boundingBox())!;
  const y = box.y + box.height / 2;
  await page.mouse.move(box.x + box.width * 0.3, y);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.32, y, { steps: 4 });
  await page.mouse.move(box.x + box.width * 0.34, y, { steps: 4 });
  await page.mouse.up();
  await expect(panel(page)).toHaveAttribute('data-detail-fetches', '1', { timeout: 30_000 });

  // what a full reply holds: asked of the panel's own kernel, without the overview
  const full = await page.evaluate(async () => {
    const app = (window as unknown as { jupyterapp: { shell: { widgets(area: string): Iterable<{ id: string; content: unknown }> } } }).jupyterapp;
    const main = [...app.shell.widgets('main')].find((w) => w.id === 'pairs-lab-main');
    const p = main?.content as {
      model: { snapshotParams(maxBars: number): Record<string, unknown> };
      kernel: { request(kind: string, params: unknown): Promise<{ data: { series: { time: number[]; zScore: Array<number | null> } } }> };
    };
    const { sinceSeq: _s, ...params } = p.model.snapshotParams(86_400);
    const reply = await p.kernel.request('snapshot', params);
    return reply.data.series;
  });
  expect(full.time.length).toBe(LONG_ROWS_PER_SYMBOL);
  const at = new Map(full.time.map((t, i) => [t, i]));
  await expect.poll(async () => {
    const zoomed = await drawnLine(page);
    // every point drawn is a bar with the full reply's value; inside the zoom (without the one point kept either side
    // of it), every bar, in order
    const indices = zoomed.x.map((t) => at.get(t) ?? -1);
    if (indices.some((i) => i < 0) || zoomed.y.some((v, k) => v !== full.zScore[indices[k]])) return 'a point that is not a bar of the full reply';
    const inner = indices.slice(1, -1);
    if (inner.length < 200) return `${inner.length} bars drawn in the zoom`;
    return inner.every((i, k) => k === 0 || i === inner[k - 1] + 1) ? 'every bar' : 'bars missing in the zoom';
  }, { timeout: 30_000 }).toBe('every bar');
});
