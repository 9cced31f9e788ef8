// `npm run bench -- soak [--soak-minutes 120] [--soak-sample-s 60] [--soak-warmup-minutes 20] [--soak-speed 15]
// [--soak-rate 40] [--soak-out FILE]`: the recorder at Binance's rate (~40 trades/s over 12 symbols) and at ten times
// that, side by side, each in its own process, for two hours by default. The simulated clock starts 10 minutes
// before a UTC midnight and runs 15× faster, so a two-hour soak records 30 simulated hours: ~30 hour merges and two
// day merges. Reports the least-squares RSS slope after the warm-up and the peak RSS of each. Slopes are per wall
// hour: whatever grows per simulated hour (files of the open day, the manifest) grows 15× faster than in a real
// recording; `--soak-speed 1` runs in real time.
import { type BenchOptions, type Benchmark, numberOption } from './harness';
import { justBeforeMidnight, runSoak, type SoakResult } from './soak';

let soaks: Promise<{ real: SoakResult; tenfold: SoakResult }> | null = null;

function runBoth(options: BenchOptions): Promise<{ real: SoakResult; tenfold: SoakResult }> {
  soaks ??= (async () => {
    const minutes = numberOption(options, 'soak-minutes', 120);
    const base = {
      minutes,
      sampleSeconds: numberOption(options, 'soak-sample-s', 60),
      warmupMinutes: numberOption(options, 'soak-warmup-minutes', Math.min(20, minutes / 3)),
      clockSpeed: numberOption(options, 'soak-speed', 15),
      clockStart: justBeforeMidnight(10 * 60_000),
      samplesFile: options.get('soak-out'),
    };
    const rate = numberOption(options, 'soak-rate', 40);
    const [real, tenfold] = await Promise.all([
      runSoak({ ...base, wallRate: rate }, `${rate}tps`),
      runSoak({ ...base, wallRate: rate * 10 }, `${rate * 10}tps`),
    ]);
    return { real, tenfold };
  })();
  return soaks;
}

// Growth tied to recorded hours (hour and day merges, the open day's files) runs clockSpeed times faster here than in a
// real recording, so the slope is also given per simulated hour.
const describe = (r: SoakResult): string =>
  `anonymous RSS ${r.anonSlopeMbPerHour.toFixed(1)} MB/h; ${(r.slopeMbPerHour / r.clockSpeed).toFixed(2)} MB per simulated hour; `
  + `RSS ${r.warmRssMb.toFixed(0)} MB after warm-up → ${r.endRssMb.toFixed(0)} MB at the end, peak ${r.peakRssMb.toFixed(0)} MB; `
  + `${r.samples.length} samples, ${r.storedPerSec.toFixed(0)} trades/s stored, ${r.simulatedHours.toFixed(0)} simulated hours`;

export const benchmarks: Benchmark[] = [
  {
    group: 'soak',
    name: 'recorder RSS slope after warm-up, Binance rate (~40 trades/s, 12 symbols)',
    target: { kind: 'max', value: 5 },
    explicitOnly: true,
    async run(options) {
      const { real } = await runBoth(options);
      return { value: real.slopeMbPerHour, unit: 'MB/h', detail: describe(real) };
    },
  },
  {
    group: 'soak',
    name: 'recorder peak RSS, Binance rate',
    target: { kind: 'max', value: 400 },
    explicitOnly: true,
    async run(options) {
      const { real } = await runBoth(options);
      return { value: real.peakRssMb, unit: 'MB' };
    },
  },
  {
    group: 'soak',
    name: 'recorder RSS slope after warm-up, 10× Binance rate',
    target: { kind: 'max', value: 20 },
    explicitOnly: true,
    async run(options) {
      const { tenfold } = await runBoth(options);
      return { value: tenfold.slopeMbPerHour, unit: 'MB/h', detail: describe(tenfold) };
    },
  },
  {
    group: 'soak',
    name: 'recorder peak RSS, 10× Binance rate',
    target: { kind: 'max', value: 600 },
    explicitOnly: true,
    async run(options) {
      const { tenfold } = await runBoth(options);
      return { value: tenfold.peakRssMb, unit: 'MB' };
    },
  },
];
