import type { TimeZoneChoice } from './clock';
import type { BasketWeightsMethod, FeedSource, HedgeMethod } from './protocol';

/** The extension's package name, also the prefix of its plugin ids. */
export const EXTENSION_ID = 'pairs-lab-extension';
export const PLUGIN_ID = `${EXTENSION_ID}:plugin`;
export const KERNEL_SPEC = 'pairs-lab';
export const PANEL_ID = 'pairs-lab-panel';

export namespace CommandIDs {
  export const open = 'pairs-lab:open';
  export const restartKernel = 'pairs-lab:restart-kernel';
  export const openNotebook = 'pairs-lab:open-notebook-on-kernel';
  export const refresh = 'pairs-lab:refresh';
  export const openTemplate = 'pairs-lab:open-template';
}

/** The user's settings (schema/plugin.json). */
export interface IPairsLabSettings {
  universe: string[];
  dataDir: string;
  feedSource: FeedSource | 'none';
  ySymbol: string;
  xSymbol: string;
  timeframe: string;
  window: number;
  zThreshold: number;
  spreadAlertEnabled: boolean;
  spreadWidth: number;
  correlationAlertEnabled: boolean;
  minCorrelation: number;
  minVolume: number;
  hedgeMethod: HedgeMethod;
  autoRefresh: boolean;
  refreshIntervalMs: number;
  maxBars: number;
  candles: number;
  /** The clock every time is shown on: UTC, or the browser's local time. */
  timeZone: TimeZoneChoice;
  openOnStart: boolean;
}

export const DEFAULT_SETTINGS: IPairsLabSettings = {
  universe: ['BTCUSDT', 'ETHUSDT', 'SOLUSDT', 'BNBUSDT'],
  dataDir: '',
  feedSource: 'binance',
  ySymbol: 'BTCUSDT',
  xSymbol: 'ETHUSDT',
  timeframe: '1s',
  window: 60,
  zThreshold: 2,
  spreadAlertEnabled: false,
  spreadWidth: 50,
  correlationAlertEnabled: false,
  minCorrelation: 0.5,
  minVolume: 0,
  hedgeMethod: 'huber',
  autoRefresh: true,
  refreshIntervalMs: 2000,
  maxBars: 86_400,
  candles: 300,
  timeZone: 'utc',
  openOnStart: true,
};

/** What the sidebar controls hold: the view the tabs show and the alert rules. */
export interface IControls {
  y: string;
  x: string;
  /** Legs after Y and X (up to 4 more); with any, the panel shows a basket of Y, X and these. */
  legs: string[];
  /** How a basket's weights are estimated. */
  basketWeights: BasketWeightsMethod;
  timeframe: string;
  window: number;
  zThreshold: number;
  spreadAlertEnabled: boolean;
  spreadWidth: number;
  correlationAlertEnabled: boolean;
  minCorrelation: number;
  minVolume: number;
  hedge: HedgeMethod;
  /** Bars the OLS/Huber hedge ratio is fitted on; null: the kernel's default, 10 × window. */
  hedgeWindow: number | null;
  autoRefresh: boolean;
  refreshIntervalMs: number;
}

/** Backtest settings of the Backtest & Export tab. */
export interface IStrategyControls {
  entry: number;
  exit: number;
  stop: number | null;
  feeBps: number;
  slippageBps: number;
  notional: number;
  /** Funding from the store's recorded events, or none; absent: the kernel's default (recorded). */
  funding?: 'recorded' | 'none';
  /** Fills at recorded quotes, or at bar prices with slippage; absent: the kernel's default (quotes). */
  fills?: 'quotes' | 'bars';
}

/** The kernel connection as the panel shows it. */
export type KernelState = 'starting' | 'loading' | 'ready' | 'busy' | 'restarting' | 'dead' | 'error';

/** Where a tab or control reports a problem the user can fix. */
export interface IUserMessage {
  level: 'info' | 'warning' | 'error';
  text: string;
  /** Bad CSV lines, shown as a list. */
  lines?: string[];
}
