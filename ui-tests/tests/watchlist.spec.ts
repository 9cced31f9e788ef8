// The Watchlist tab on the simulated exchange (the panel's own universe): every watched pair in a row that goes live, sorts, flashes on its
// alerts; alerts of pairs not on screen reach JupyterLab's notifications (one per pair, updated in place); pairs are added and removed in place; a row
// click opens the pair; the list survives a kernel restart; screenshots light and dark.
import path from 'node:path';
import { expect, galata, test } from '@jupyterlab/galata';
import type { Page } from '@playwright/test';
import { PLUGIN, SCREENSHOTS, TEST_SETTINGS, control, kernelLoads, openTab, panel, waitForPanelApp, waitForRefreshes } from './helpers';

const work = process.env.PAIRS_LAB_UI_WORK ?? path.join(__dirname, '..', '.work', 'default');
test.use({
  waitForApplication: waitForPanelApp,
  mockSettings: {
    ...galata.DEFAULT_SETTINGS,
    // the lowest alert threshold the settings allow (1), so that pairs fire within the test
    [PLUGIN]: { ...TEST_SETTINGS, zThreshold: 1, dataDir: path.join(work, 'store-watchlist') },
  },
});

const rows = (page: Page) => panel(page).locator('.pl-Watchlist tbody tr');
const pairsShown = async (page: Page): Promise<string[]> => rows(page).evaluateAll((trs) => trs.map((tr) => (tr as HTMLElement).dataset.pair ?? ''));
const number = async (page: Page, attr: string): Promise<number> => Number((await panel(page).getAttribute(attr)) ?? 0);

test('the watchlist: live rows, sorting, alerts and notifications, edits, open a pair, a restart', async ({ page }) => {
  test.setTimeout(420_000);
  await expect(panel(page)).toHaveAttribute('data-kernel-state', 'ready', { timeout: 90_000 });
  const tab = panel(page).locator('.pl-Tab[data-tab="watchlist"]');
  // on a store without bars to rank, the list starts with the pairs of the universe the settings give, in order
  const universe = TEST_SETTINGS.universe;
  const initial = universe.flatMap((y, i) => universe.slice(i + 1).map((x) => `${y}/${x}`)).slice(0, 10);
  expect(initial).toContain('ETHUSDT/SOLUSDT');
  const edited = [...initial.filter((p) => p !== 'ETHUSDT/SOLUSDT'), 'SOLUSDT/ETHUSDT'].sort();

  await test.step('opens first, with the pairs of the universe, and the rows go live', async () => {
    await expect(panel(page).locator('.lm-TabBar-tab').first()).toHaveText('Watchlist');
    await expect(tab).toBeVisible();
    await expect.poll(() => pairsShown(page), { timeout: 60_000 }).toEqual(initial);
    await expect(rows(page).filter({ has: page.locator('td.pl-Status.pl-mod-live') })).toHaveCount(initial.length, { timeout: 180_000 });
    for (const r of await rows(page).all()) {
      expect(Number(await r.locator('.pl-Sparkline').getAttribute('data-points'))).toBeGreaterThan(0);
      await expect(r.locator('td[data-cell="z"]')).not.toHaveText('—');
    }
    expect(await tab.textContent()).not.toContain('undefined');
  });

  await test.step('an alert on a pair not on screen fires once, flashes its row and reaches JupyterLab\'s notifications', async () => {
    await expect.poll(() => number(page, 'data-alert-notices'), { timeout: 120_000 }).toBeGreaterThan(0);
    // Notifications stay in JupyterLab's notification list after their toast closed by itself, so this cannot pass by.
    const notices = async () => (await page.notifications).map((n) => n.message).filter((m) => m.startsWith('Pairs Lab alert'));
    await expect.poll(async () => (await notices()).some((m) => /^Pairs Lab alert: (?!BTCUSDT\/ETHUSDT:)[A-Z]+USDT\/[A-Z]+USDT: |^Pairs Lab alerts: \d+ on \d+ more watched pairs/.test(m)), { timeout: 20_000 }).toBe(true);
    // one notification per pair, updated in place (newest alert and a count), not one per alert
    await expect.poll(async () => number(page, 'data-alert-notices'), { timeout: 120_000 }).toBeGreaterThan(initial.length);
    const perPair = (await notices()).map((m) => /^Pairs Lab alert: ([A-Z]+USDT\/[A-Z]+USDT):/.exec(m)?.[1]).filter((p) => p !== undefined);
    expect(new Set(perPair).size).toBe(perPair.length);
    expect((await notices()).length).toBeLessThanOrEqual(initial.length + 1);
    await expect.poll(async () => Number((await tab.getAttribute('data-flashes')) ?? 0), { timeout: 60_000 }).toBeGreaterThan(0);
    const counts = await rows(page).evaluateAll((trs) => trs.map((tr) => Number((tr as HTMLElement).dataset.alertCount)));
    expect(counts.some((c) => c > 0)).toBe(true);
  });

  await test.step('a heading click sorts by |z|, a second click reverses', async () => {
    const header = tab.locator('th[data-sort="absZ"]');
    await header.click();
    await expect(tab.locator('table.pl-Watchlist')).toHaveAttribute('data-sort', 'absZ:desc');
    const abs = async () => (await tab.locator('td[data-cell="z"]').allTextContents()).map((t) => Math.abs(Number(t)));
    const desc = await abs();
    expect(desc).toEqual([...desc].sort((a, b) => b - a));
    await tab.locator('th[data-sort="absZ"]').click();
    await expect(tab.locator('table.pl-Watchlist')).toHaveAttribute('data-sort', 'absZ:asc');
  });

  await test.step('screenshots, light and dark', async () => {
    await page.waitForTimeout(500);
    await panel(page).screenshot({ path: path.join(SCREENSHOTS, 'light-0-watchlist.png') });
    await page.theme.setDarkTheme();
    await page.waitForTimeout(500);
    await panel(page).screenshot({ path: path.join(SCREENSHOTS, 'dark-0-watchlist.png') });
    await page.theme.setLightTheme();
  });

  await test.step('a pair is removed and added back in place, and a refused edit says why', async () => {
    await rows(page).filter({ hasText: 'ETHUSDT/SOLUSDT' }).locator('[data-action="watch-remove"]').click();
    await expect.poll(() => pairsShown(page), { timeout: 30_000 }).not.toContain('ETHUSDT/SOLUSDT');
    await control(page, 'watch-y').selectOption('SOLUSDT');
    await control(page, 'watch-x').selectOption('SOLUSDT');
    await tab.locator('[data-action="watch-add"]').click();
    await expect(tab.locator('[data-message="watchlist"]')).toContainText('A pair needs two different symbols; both are SOLUSDT');
    await control(page, 'watch-x').selectOption('ETHUSDT');
    await tab.locator('[data-action="watch-add"]').click();
    await expect.poll(async () => (await pairsShown(page)).sort(), { timeout: 30_000 }).toEqual(edited);
    await expect(tab.locator('[data-message="watchlist"]')).toBeHidden();
  });

  await test.step('the list survives a kernel restart', async () => {
    const loads = await kernelLoads(page);
    await panel(page).locator('[data-action="restart-kernel"]').click();
    await expect.poll(() => kernelLoads(page), { timeout: 120_000 }).toBeGreaterThan(loads);
    await expect(panel(page)).toHaveAttribute('data-kernel-state', 'ready', { timeout: 120_000 });
    await expect.poll(async () => (await pairsShown(page)).sort(), { timeout: 60_000 }).toEqual(edited);
  });

  await test.step('a row click opens its pair in the other tabs', async () => {
    await rows(page).filter({ hasText: 'BTCUSDT/SOLUSDT' }).locator('td').first().click();
    await expect(panel(page).locator('.lm-TabBar-tab.lm-mod-current')).toHaveText('Prices & Volume');
    await expect(control(page, 'x')).toHaveValue('SOLUSDT');
    await expect(control(page, 'y')).toHaveValue('BTCUSDT');
    await waitForRefreshes(page, (await number(page, 'data-refreshes')) + 1);
    await openTab(page, 'Watchlist');
    await expect(tab).toBeVisible();
  });
});
