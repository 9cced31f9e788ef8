// The Backtest tab's Live section on the simulated exchange: paper trading starts on the pair on screen, its position,
// orders, trades and P&L update as bars close, the book survives a kernel restart (resumed from its journal in the
// store) and stops; screenshots light and dark. The Feed tab lists the streams the book reads.
import path from 'node:path';
import { expect, galata, test } from '@jupyterlab/galata';
import type { Page } from '@playwright/test';
import { PLUGIN, SCREENSHOTS, TEST_SETTINGS, control, kernelLoads, openTab, panel, waitForPanelApp } from './helpers';

const work = process.env.PAIRS_LAB_UI_WORK ?? path.join(__dirname, '..', '.work', 'default');
test.use({
  waitForApplication: waitForPanelApp,
  mockSettings: { ...galata.DEFAULT_SETTINGS, [PLUGIN]: { ...TEST_SETTINGS, dataDir: path.join(work, 'store-paper') } },
});

const live = (page: Page) => panel(page).locator('[data-section="paper"]');
const attr = async (page: Page, name: string): Promise<string> => (await live(page).getAttribute(name)) ?? '';

test('paper trading: starts, trades on closed bars, survives a kernel restart, stops', async ({ page }) => {
  test.setTimeout(420_000);
  await expect(panel(page)).toHaveAttribute('data-kernel-state', 'ready', { timeout: 90_000 });
  await openTab(page, 'Backtest & Export');
  await expect(live(page)).toHaveAttribute('data-paper-state', 'none', { timeout: 60_000 });
  await expect(live(page)).toContainText('No paper book for BTCUSDT/ETHUSDT 1s yet.');

  await test.step('starts on the pair on screen and trades as bars close', async () => {
    // the button waits for the pair's first bars
    await expect(panel(page).locator('[data-action="start-paper"]')).toBeEnabled({ timeout: 60_000 });
    await control(page, 'entry').fill('1');
    await control(page, 'exit').fill('0.2');
    await control(page, 'stop').fill('0');
    await panel(page).locator('[data-action="start-paper"]').click();
    await expect(live(page)).toHaveAttribute('data-paper-state', 'here', { timeout: 60_000 });
    await expect(panel(page).locator('[data-action="stop-paper"]')).toBeEnabled();
    // orders are decided and filled at the recorded quotes; a round trip closes
    await expect.poll(async () => Number(await attr(page, 'data-paper-trades')), { timeout: 240_000 }).toBeGreaterThan(0);
    const filled = live(page).locator('table').nth(1).locator('tbody tr');
    await expect(filled.first()).toBeVisible();
    // the P&L moves while the book runs (marks of the open position, or new trades)
    const first = await attr(page, 'data-paper-equity');
    await expect.poll(async () => attr(page, 'data-paper-equity'), { timeout: 120_000 }).not.toBe(first);
    expect(await live(page).textContent()).not.toContain('undefined');
    expect(await live(page).textContent()).not.toContain('NaN');
    // charts draw once in sight
    await panel(page).locator('[data-chart="paper-equity"]').scrollIntoViewIfNeeded();
    await expect(panel(page).locator('[data-chart="paper-equity"]')).toHaveAttribute('data-points', /^[1-9]\d*$/, { timeout: 30_000 });
  });

  await test.step('screenshots, light and dark', async () => {
    await live(page).scrollIntoViewIfNeeded();
    await page.waitForTimeout(500);
    await live(page).screenshot({ path: path.join(SCREENSHOTS, 'light-paper-live.png') });
    await panel(page).locator('[data-chart="paper-equity"]').screenshot({ path: path.join(SCREENSHOTS, 'light-paper-equity.png') });
    await page.theme.setDarkTheme();
    await page.waitForTimeout(800);
    await live(page).screenshot({ path: path.join(SCREENSHOTS, 'dark-paper-live.png') });
    await page.theme.setLightTheme();
  });

  await test.step('a kernel restart resumes the book from the store', async () => {
    const trades = Number(await attr(page, 'data-paper-trades'));
    const loads = await kernelLoads(page);
    await panel(page).locator('[data-action="restart-kernel"]').click();
    await expect.poll(() => kernelLoads(page), { timeout: 90_000 }).toBeGreaterThan(loads);
    await expect(panel(page)).toHaveAttribute('data-kernel-state', 'ready', { timeout: 90_000 });
    await expect(live(page)).toHaveAttribute('data-paper-state', 'here', { timeout: 60_000 });
    // nothing lost: at least the trades it had
    expect(Number(await attr(page, 'data-paper-trades'))).toBeGreaterThanOrEqual(trades);
  });

  await test.step('stops', async () => {
    await panel(page).locator('[data-action="stop-paper"]').click();
    await expect(live(page)).toHaveAttribute('data-paper-state', 'stopped', { timeout: 30_000 });
    await expect(panel(page).locator('[data-action="stop-paper"]')).toBeDisabled();
  });

  await test.step('the Feed tab lists the three recorded streams', async () => {
    await openTab(page, 'Feed');
    await expect(panel(page).locator('[data-streams="3"]')).toBeVisible({ timeout: 30_000 });
    await expect(panel(page).locator('[data-streams="3"]')).toContainText('best bid/ask (bookTicker)');
    await expect(panel(page).locator('[data-streams="3"] tbody tr').filter({ hasText: 'live' })).toHaveCount(3, { timeout: 30_000 });
  });
});
