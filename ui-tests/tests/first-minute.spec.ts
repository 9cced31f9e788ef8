// A newcomer's first minutes: the panel opens on an empty store recording from the simulated exchange, at 1s with
// the default rolling window (60) and hedge window (10 × 60). Within 60 s of the first bar every tab shows data or
// says what it waits for; the z-score has points within 5 minutes (an expanding hedge fit until the window fills,
// flagged and shaded); the hedge window is a sidebar control.
import path from 'node:path';
import { expect, galata, test } from '@jupyterlab/galata';
import type { Page } from '@playwright/test';
import { PLUGIN, SCREENSHOTS, TEST_SETTINGS, chartState, control, expectMessage, lastMessageSeq, openTab, panel, setValue, waitForPanelApp } from './helpers';

const work = process.env.PAIRS_LAB_UI_WORK ?? path.join(__dirname, '..', '.work', 'default');
// The defaults a new user has, except the bar length the issue names and a store of its own (empty at the start).
const { window: _window, ...settings } = TEST_SETTINGS;
void _window;
test.use({
  waitForApplication: waitForPanelApp,
  mockSettings: { ...galata.DEFAULT_SETTINGS, [PLUGIN]: { ...settings, timeframe: '1s', dataDir: path.join(work, 'store-first-minute') } },
});

const TABS = ['Watchlist', 'Prices & Volume', 'Spread & Z-Score', 'Correlation', 'Backtest & Export', 'Alerts', 'Feed', 'Pairs overview'];
/** What a chart or a block may say instead of data: it names what it waits for, or how to get it. */
const WAITING = /needs \d+ bars(?: for the first hedge fit)?(?: \([^)]*\))?, \d+ so far — about \d+ (?:s|min|h) at 1s|Run a (?:backtest|parameter search) to see|Start paper trading to see/;

async function bars(page: Page): Promise<number> {
  return Number((await panel(page).getAttribute('data-bars')) ?? 0);
}

/** Problems on the tab on screen: a visible chart with neither points nor a waiting text, a "—" card without a note. */
async function tabProblems(page: Page, label: string): Promise<string[]> {
  const tab = panel(page).locator('.pl-Tab:not(.lm-mod-hidden)');
  const problems: string[] = [];
  for (const c of await tab.locator('.pl-Chart').all()) {
    const name = await c.getAttribute('data-chart');
    if (Number((await c.getAttribute('data-points')) ?? 0) > 0) continue;
    const text = (await c.locator('.pl-Chart-empty').textContent()) ?? '';
    if (!WAITING.test(text)) problems.push(`${label}: chart ${name} is empty and says "${text}"`);
  }
  for (const card of await tab.locator('.pl-Card').all()) {
    const value = ((await card.locator('.pl-Card-value').textContent()) ?? '').trim();
    if (value !== '—') continue;
    const note = await card.locator('.pl-Card-note').count() ? await card.locator('.pl-Card-note').textContent() : null;
    if (!note || !/needs \d+ bars, \d+ so far/.test(note)) problems.push(`${label}: card ${await card.getAttribute('data-card')} shows — without saying why`);
  }
  const text = (await tab.textContent()) ?? '';
  if (text.includes('undefined')) problems.push(`${label}: the tab reads "undefined"`);
  if (label === 'Backtest & Export' && text.includes('—') && !(await tab.locator('[data-waiting="zscore"]').count())) problems.push(`${label}: the preview shows — without saying why`);
  if (label === 'Alerts' && !/No alerts yet|z-score/.test(text)) problems.push(`${label}: neither alerts nor a note`);
  if (label === 'Pairs overview' && !(await tab.locator('[data-empty="scan"], table').count())) problems.push(`${label}: neither a scan nor how to run one`);
  if (label === 'Watchlist' && !(await tab.locator('[data-empty="watchlist"], tr[data-pair]').count())) problems.push(`${label}: neither rows nor what it loads`);
  if (label === 'Feed' && !(await tab.locator('[data-card="feed-state"]').count())) problems.push(`${label}: no feed state`);
  if (label === 'Prices & Volume' && (await tab.locator('.pl-Chart.pl-mod-empty').count())) problems.push(`${label}: a price chart is empty although bars exist`);
  return problems;
}

test('an empty store at 1s: every tab shows data or what it waits for within a minute, a z-score within five', async ({ page }) => {
  test.setTimeout(600_000);
  await expect(panel(page)).toHaveAttribute('data-kernel-state', 'ready', { timeout: 120_000 });
  await expect.poll(() => bars(page), { timeout: 120_000, intervals: [250] }).toBeGreaterThanOrEqual(1);
  const firstBar = Date.now();
  const left = () => Math.max(1000, 60_000 - (Date.now() - firstBar));

  await test.step('within 60 s of the first bar, every tab shows data or names what it waits for', async () => {
    for (const label of TABS) {
      await openTab(page, label);
      await expect.poll(() => tabProblems(page, label), { timeout: left(), message: `${label} within 60 s of the first bar` }).toEqual([]);
    }
    const elapsed = (Date.now() - firstBar) / 1000;
    test.info().annotations.push({ type: 'first bar to every tab checked', description: `${elapsed.toFixed(1)} s, ${await bars(page)} bars` });
    expect(elapsed).toBeLessThanOrEqual(60);
    await openTab(page, 'Spread & Z-Score');
    await panel(page).screenshot({ path: path.join(SCREENSHOTS, 'first-minute-spread-waiting.png') });
  });

  await test.step('the z-score has points within 5 minutes of the first bar, with the expanding hedge fit flagged and shaded', async () => {
    await openTab(page, 'Spread & Z-Score');
    await expect.poll(async () => (await chartState(page, 'zscore')).points[0] ?? 0, { timeout: Math.max(1000, 300_000 - (Date.now() - firstBar)), intervals: [1000] }).toBeGreaterThan(0);
    test.info().annotations.push({ type: 'first bar to a z-score', description: `${((Date.now() - firstBar) / 1000).toFixed(1)} s, ${await bars(page)} bars` });
    const notice = panel(page).locator('[data-notice="hedge-warmup"]');
    await expect(notice).toBeVisible();
    await expect(notice).toContainText(/Hedge ratio fitted on all \d+ bars so far \(expanding, shaded on the charts\) until the 600-bar hedge window fills/);
    await expect(panel(page).locator('[data-card="hedge-ratio"] .pl-Card-label')).toContainText(/expanding \d+\/600/);
    // the ±threshold lines and the 0 line, then the shaded warm-up
    expect((await chartState(page, 'zscore')).shapes.length).toBe(4);
    await panel(page).screenshot({ path: path.join(SCREENSHOTS, 'first-minute-spread-zscore.png') });
  });

  await test.step('the hedge window is a sidebar control: a bad value is refused, a short one ends the warm-up', async () => {
    const mark = await lastMessageSeq(page);
    await setValue(control(page, 'hedge-window'), '2');
    await expectMessage(page, mark, 'Hedge window must be a whole number of bars from 3 to 1,000,000 (got "2")', { level: 'error' });
    await expect(control(page, 'hedge-window')).toHaveValue('');
    await setValue(control(page, 'hedge-window'), '50');
    await expect(panel(page).locator('[data-notice="hedge-warmup"]')).toBeHidden({ timeout: 30_000 });
    await expect(panel(page).locator('[data-card="hedge-ratio"] .pl-Card-label')).toHaveText('Hedge ratio (huber)');
    await expect.poll(async () => (await chartState(page, 'zscore')).points[0] ?? 0, { timeout: 30_000 }).toBeGreaterThan(0);
  });
});
