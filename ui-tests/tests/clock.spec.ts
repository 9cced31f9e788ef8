// One clock, in a browser whose time zone is Asia/Singapore (UTC+08:00): chart axes, tables, the header, the message log
// and CSV downloads all show UTC by default and name the same instant; the sidebar's Times control moves them all to
// local time together, labelled with the offset.
import { readFileSync } from 'node:fs';
import { expect, galata, test } from '@jupyterlab/galata';
import type { Page } from '@playwright/test';
import { PLUGIN, TEST_SETTINGS, chart, control, openTab, panel, stopRefreshes, waitForPanelApp, waitForRefreshes } from './helpers';

test.use({ timezoneId: 'Asia/Singapore', waitForApplication: waitForPanelApp, mockSettings: { ...galata.DEFAULT_SETTINGS, [PLUGIN]: TEST_SETTINGS } });

interface Shown {
  /** The newest bar's time in the Prices tab's first table, `YYYY-MM-DD HH:MM:SS`. */
  cell: string;
  column: string;
  /** The header's "last bar HH:MM:SS <clock>". */
  header: string;
  /** The price chart's x tick labels (HH:MM:SS, the first also with the date) and its axis title. */
  ticks: string[];
  axisTitle: string;
  /** The wall time Plotly shows for the newest candle: its x value in the browser's (Singapore) local time. */
  newestOnAxis: string;
  logTime: string;
}

async function shown(page: Page): Promise<Shown> {
  const tab = panel(page).locator('.pl-Tab:not(.lm-mod-hidden)');
  const header = (await panel(page).locator('.pl-Header').textContent()) ?? '';
  const onAxis = await chart(page, 'price-y').locator('.pl-Chart-plot').evaluate((gd) => {
    const xs = ((gd as unknown as { data?: Array<{ x: number[] }> }).data?.[0]?.x ?? []);
    const d = new Date(xs[xs.length - 1]);
    const p = (n: number) => String(n).padStart(2, '0');
    return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
  });
  return {
    cell: ((await tab.locator('table tbody tr').first().locator('td').first().textContent()) ?? '').trim(),
    column: ((await tab.locator('table thead th').first().textContent()) ?? '').trim(),
    header: /last bar (\S+ \S+)/.exec(header)?.[1] ?? header,
    ticks: await chart(page, 'price-y').locator('.xtick text').allTextContents(),
    axisTitle: (await chart(page, 'price-y').locator('.g-xtitle').first().textContent()) ?? '',
    newestOnAxis: onAxis,
    logTime: ((await panel(page).locator('[data-message-log] li time').first().textContent()) ?? '').trim(),
  };
}

/** Hours of the tick labels (`HH:MM:SS…`), which a chart over the last minutes spans one or two of. */
const tickHours = (ticks: string[]) => [...new Set(ticks.map((t) => Number(t.slice(0, 2))).filter(Number.isFinite))];

async function downloadedTimestamp(page: Page): Promise<string> {
  await openTab(page, 'Backtest & Export');
  const [download] = await Promise.all([page.waitForEvent('download'), panel(page).locator('[data-action="download-analytics"]').click()]);
  const file = test.info().outputPath(download.suggestedFilename());
  await download.saveAs(file);
  await openTab(page, 'Prices & Volume');
  return readFileSync(file, 'utf8').split('\n')[1].split(',')[0];
}

test('axes, tables, the header and downloads agree on UTC in Singapore; the local-time setting moves them all', async ({ page }) => {
  await expect(panel(page)).toHaveAttribute('data-kernel-state', 'ready', { timeout: 90_000 });
  await waitForRefreshes(page, 3);
  expect(await page.evaluate(() => Intl.DateTimeFormat().resolvedOptions().timeZone)).toBe('Asia/Singapore');
  // a still picture: every clock reads the same bars
  await stopRefreshes(page);
  await openTab(page, 'Prices & Volume');
  // a tab's charts draw once it is shown: read them after they have
  await expect(chart(page, 'price-y')).toHaveAttribute('data-clock', 'utc', { timeout: 30_000 });

  const utc = await shown(page);
  const newest = Date.parse(`${utc.cell.replace(' ', 'T')}Z`);
  expect(Number.isFinite(newest)).toBe(true);
  expect(utc.column).toBe('time (UTC)');
  expect(utc.header).toBe(`${utc.cell.slice(11)} UTC`);
  expect(utc.newestOnAxis).toBe(utc.cell);
  expect(utc.axisTitle).toBe('time (UTC)');
  expect(tickHours(utc.ticks)).toContain(new Date(newest).getUTCHours());
  expect(utc.logTime).toMatch(/ UTC$/);
  expect(await downloadedTimestamp(page)).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);

  await control(page, 'time-zone').selectOption('local');
  await expect(panel(page)).toHaveAttribute('data-clock', 'local');
  await expect(chart(page, 'price-y')).toHaveAttribute('data-clock', 'local', { timeout: 30_000 });
  await expect.poll(async () => (await shown(page)).column, { timeout: 30_000 }).toBe('time (UTC+08:00)');
  const local = await shown(page);
  const plus8 = new Date(newest + 8 * 3_600_000).toISOString().replace('T', ' ').slice(0, 19);
  expect(local.cell).toBe(plus8);
  expect(local.header).toBe(`${plus8.slice(11)} UTC+08:00`);
  expect(local.newestOnAxis).toBe(plus8);
  expect(local.axisTitle).toBe('time (UTC+08:00)');
  expect(tickHours(local.ticks)).toContain((new Date(newest).getUTCHours() + 8) % 24);
  expect(tickHours(local.ticks)).not.toContain(new Date(newest).getUTCHours());
  expect(local.logTime).toMatch(/ UTC\+08:00$/);
  const stamp = await downloadedTimestamp(page);
  expect(stamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+08:00$/);

  await control(page, 'time-zone').selectOption('utc');
  await expect.poll(async () => (await shown(page)).cell, { timeout: 30_000 }).toBe(utc.cell);
});
