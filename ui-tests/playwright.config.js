// Browser tests: galata's Playwright config, with Debian's chromium, no video (no ffmpeg here), and a JupyterLab server
// whose kernels, temp files and runtime files all stay inside the project.
const path = require('node:path');
const baseConfig = require('@jupyterlab/galata/lib/playwright-config');

const root = path.resolve(__dirname, '..');
// run.mjs picks a work folder and a free port per run; these defaults serve a bare `npx playwright test`.
const work = process.env.PAIRS_LAB_UI_WORK || path.join(__dirname, '.work', 'default');
const port = process.env.PAIRS_LAB_UI_PORT || '8898';

module.exports = {
  ...baseConfig,
  // One worker: the tests share one server and the machine has two cores.
  workers: 1,
  retries: 0,
  timeout: 300_000,
  expect: { timeout: 60_000 },
  reporter: [['list']],
  outputDir: path.join(work, 'test-results'),
  use: {
    ...baseConfig.use,
    baseURL: `http://localhost:${port}`,
    video: 'off',
    trace: 'off',
    viewport: { width: 1400, height: 900 },
    acceptDownloads: true,
    actionTimeout: 30_000,
    launchOptions: { executablePath: process.env.PAIRS_LAB_CHROMIUM || '/usr/bin/chromium' },
  },
  webServer: {
    command: 'npm run start',
    url: `http://localhost:${port}/lab`,
    timeout: 120_000,
    reuseExistingServer: !process.env.CI,
    gracefulShutdown: { signal: 'SIGTERM', timeout: 10_000 },
    env: {
      PATH: `${path.join(root, '.venv', 'bin')}${path.delimiter}${process.env.PATH}`,
      JUPYTER_PATH: path.join(root, '.jupyter', 'share'),
      PAIRS_LAB_UI_PORT: port,
      JUPYTER_CONFIG_DIR: path.join(work, 'config'),
      JUPYTER_DATA_DIR: path.join(work, 'data'),
      JUPYTER_RUNTIME_DIR: path.join(work, 'runtime'),
      JUPYTERLAB_SETTINGS_DIR: path.join(work, 'user-settings'),
      JUPYTERLAB_WORKSPACES_DIR: path.join(work, 'workspaces'),
      JUPYTERLAB_GALATA_ROOT_DIR: path.join(work, 'root'),
      TMPDIR: path.join(work, 'tmp'),
      PAIRS_LAB_ROOT: root,
      PAIRS_LAB_DATA: path.join(work, 'store'),
      PAIRS_LAB_FEED: 'simulated',
    },
  },
};
