// `pairs-lab simulate`: runs the simulated Binance USD-M exchange on loopback until SIGTERM/SIGINT.
import type { Command } from './commands';
import { parseArgs } from './record';
import { startSimulatedExchange } from '../feed/sim/exchange';
import { defaultSymbols } from '../feed/universe';

const usage = `usage: pairs-lab simulate [--port N] [--symbols A,B,...] [--rate TRADES_PER_S] [--quote-rate QUOTES_PER_S] [--seed N]
                          [--no-bursts] [--stop-after SECONDS]

Serves a simulated Binance USD-M futures exchange on 127.0.0.1 (WebSocket /market/stream with aggTrade and
markPrice@1s, /public/stream with bookTicker, REST /fapi/v1/* with fundingRate): cointegrated pairs, bursts and
quiet periods, a best bid/ask around the trades, funding every 8 h. --quote-rate: best bid/ask changes per second
besides the one after every trade (default the trade rate). --stop-after ends trading and quoting (the server
stays up) for measurements.
Record from it with
  pairs-lab record --ws-url ws://127.0.0.1:PORT --rest-url http://127.0.0.1:PORT --data ./data-sim`;

export const simulateCommand: Command = {
  summary: 'serve a simulated Binance USD-M futures exchange on 127.0.0.1 (offline data source)',
  async run(args) {
    if (args.includes('--help') || args.includes('-h')) {
      process.stdout.write(`${usage}\n`);
      return 0;
    }
    const { values, flags } = parseArgs(args, { values: ['port', 'symbols', 'rate', 'quote-rate', 'seed', 'tick-ms', 'stop-after'], flags: ['no-bursts'] });
    const port = Number(values.get('port') ?? '0');
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be an integer 0-65535, got "${values.get('port')}"`);
    const rate = Number(values.get('rate') ?? '40');
    if (!(rate >= 0)) throw new Error(`--rate must be a non-negative number of trades per second, got "${values.get('rate')}"`);
    const quoteRate = values.has('quote-rate') ? Number(values.get('quote-rate')) : rate;
    if (!(quoteRate >= 0)) throw new Error(`--quote-rate must be a non-negative number of quotes per second, got "${values.get('quote-rate')}"`);
    const exchange = await startSimulatedExchange({
      quotesPerSecond: quoteRate,
      port,
      symbols: values.has('symbols') ? (values.get('symbols') as string).split(',').map((s) => s.trim().toUpperCase()) : defaultSymbols,
      tradesPerSecond: rate,
      bursts: !flags.has('no-bursts'),
      seed: Number(values.get('seed') ?? '1'),
      tickMs: values.has('tick-ms') ? Number(values.get('tick-ms')) : undefined,
    });
    const stopAfter = values.has('stop-after') ? Number(values.get('stop-after')) * 1000 : 0;
    if (stopAfter > 0) setTimeout(() => { exchange.setTradesPerSecond(0); exchange.setQuotesPerSecond(0); }, stopAfter).unref();
    // Machine-readable first line: tests and scripts read the URLs from it.
    process.stdout.write(`${JSON.stringify({ simulated: true, port: exchange.port, wsUrl: exchange.wsUrl, restUrl: exchange.restUrl })}\n`);
    await new Promise<void>((resolve) => {
      process.once('SIGTERM', resolve);
      process.once('SIGINT', resolve);
    });
    await exchange.close();
    return 0;
  },
};
