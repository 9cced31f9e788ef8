// Analytics speed, beside statsmodels / scikit-learn / pandas timed on the same data in the same run
// (when .venv-fixtures exists: `bash python/fixtures/make.sh --venv-only`).
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type Benchmark, medianMs } from './harness';
import { PairState, adfuller, coint, huber, johansen, ouFit, pairSnapshot, rollingZScore, scanPairs } from '../src/analytics';
import { useWasmKernels } from '../src/analytics/kernels/lagKernels';

const root = path.resolve(__dirname, '..', '..');
const referencePython = path.join(root, '.venv-fixtures', 'bin', 'python');
const ROLLING_WINDOW = 300;

function generator(seed: number): () => number {
  let s = seed >>> 0;
  const uniform = (): number => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return (s + 0.5) / 4294967296;
  };
  return () => Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
}

/** AR(1) with φ = 0.999 around 5,000: a near-unit-root price-like series. */
function nearUnitRoot(n: number, seed: number): Float64Array {
  const g = generator(seed);
  const out = new Float64Array(n);
  let v = 0;
  for (let i = 0; i < n; i++) {
    v = 0.999 * v + g();
    out[i] = 5000 + v;
  }
  return out;
}

/** y = 1.5x + 3 + noise with 5% gross outliers, x a random walk. */
function regressionData(n: number, seed: number): { y: Float64Array; x: Float64Array } {
  const g = generator(seed);
  const x = new Float64Array(n);
  const y = new Float64Array(n);
  let v = 100;
  for (let i = 0; i < n; i++) {
    v += g();
    x[i] = v;
    const outlier = i % 20 === 7 ? 25 * g() : 0;
    y[i] = 1.5 * v + 3 + g() + outlier;
  }
  return { y, x };
}

/** 10 symbols driven by 3 common factors plus idiosyncratic AR noise, 1,440 one-minute bars each. */
function universe(): Record<string, Float64Array> {
  const g = generator(11);
  const n = 1440;
  const factors = [0, 1, 2].map(() => {
    const f = new Float64Array(n);
    let v = 0;
    for (let i = 0; i < n; i++) f[i] = v += g();
    return f;
  });
  const out: Record<string, Float64Array> = {};
  for (let k = 0; k < 10; k++) {
    const p = new Float64Array(n);
    let e = 0;
    const level = 50 + 20 * k;
    for (let i = 0; i < n; i++) {
      e = 0.9 * e + 0.3 * g();
      p[i] = level + factors[k % 3][i] * (1 + 0.1 * k) + e;
    }
    out[`SYM${k}USDT`] = p;
  }
  return out;
}

/** y = Σ wᵢ·xᵢ + 5 + AR(1) noise on `k` random walks: a cointegrated basket. */
function basket(n: number, k: number, seed: number): { y: Float64Array; xs: Float64Array[] } {
  const g = generator(seed);
  const xs = Array.from({ length: k }, () => new Float64Array(n));
  const y = new Float64Array(n);
  const level = xs.map((_, j) => 100 + 20 * j);
  let e = 0;
  for (let i = 0; i < n; i++) {
    e = 0.8 * e + g();
    let v = 5 + e;
    for (let j = 0; j < k; j++) {
      level[j] += g();
      xs[j][i] = level[j];
      v += (j % 2 === 0 ? 1.5 : -0.7) * level[j];
    }
    y[i] = v;
  }
  return { y, xs };
}

const data = {
  adf100k: nearUnitRoot(100_000, 1),
  johansen1m: basket(1_000_000, 1, 21),
  coint3x100k: basket(100_000, 3, 22),
  adf1m: nearUnitRoot(1_000_000, 2),
  reg1m: regressionData(1_000_000, 3),
  scan: universe(),
};

type Reference = Record<string, number | string | Record<string, number[]>>;

/** The files bench_reference.py reads for each of its sections (named for the figure they time). */
const referenceInputs: Record<string, () => Record<string, Float64Array>> = {
  adf100k: () => ({ 'adf_100k.f64': data.adf100k }),
  huber1m: () => ({ 'huber_x.f64': data.reg1m.x, 'huber_y.f64': data.reg1m.y }),
  rollingZ1m: () => ({ 'rolling_1m.f64': data.reg1m.y, 'rolling_window.f64': Float64Array.of(ROLLING_WINDOW) }),
  scan45: () => {
    const symbols = Object.values(data.scan);
    const flat = new Float64Array(symbols.length * symbols[0].length);
    symbols.forEach((p, k) => flat.set(p, k * p.length));
    return { 'scan.f64': flat };
  },
  johansen1m: () => ({ 'johansen_y.f64': data.johansen1m.y, 'johansen_x.f64': data.johansen1m.xs[0] }),
  coint3x100k: () => {
    const cx = new Float64Array(3 * data.coint3x100k.y.length);
    data.coint3x100k.xs.forEach((x, j) => cx.set(x, j * x.length));
    return { 'coint_y.f64': data.coint3x100k.y, 'coint_X.f64': cx };
  },
};
const references = new Map<string, Promise<Reference | null>>();

/**
 * Runs one section of python/fixtures/bench_reference.py on the same data, once, when the first benchmark that needs
 * it runs (so `node dist/bench/run.js Johansen` times only statsmodels' Johansen); null when the venv is missing or it fails.
 */
function referenceTimings(section: string): Promise<Reference | null> {
  const cached = references.get(section);
  if (cached) return cached;
  if (!existsSync(referencePython)) return Promise.resolve(null);
  const dir = mkdtempSync(path.join(tmpdir(), 'pairs-lab-bench-'));
  for (const [name, values] of Object.entries(referenceInputs[section]())) {
    writeFileSync(path.join(dir, name), Buffer.from(values.buffer, values.byteOffset, values.byteLength));
  }
  // OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE are set on this machine for old OpenBLAS builds and slow a current numpy
  const env = { ...process.env };
  delete env.OPENBLAS_CORETYPE;
  delete env.OPENBLAS_L2_SIZE;
  const reference = new Promise<Reference | null>((resolve) => {
    const child = spawn(referencePython, [path.join(root, 'python', 'fixtures', 'bench_reference.py'), dir, section], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (b: Buffer) => (out += b.toString()));
    child.stderr.on('data', (b: Buffer) => (err += b.toString()));
    child.on('close', (code) => {
      rmSync(dir, { recursive: true, force: true });
      if (code !== 0) {
        process.stderr.write(`[bench] reference timings (${section}) failed (exit ${code}): ${err.slice(-500)}\n`);
        resolve(null);
        return;
      }
      resolve(JSON.parse(out.trim().split('\n').pop() ?? '{}') as Reference);
    });
  });
  references.set(section, reference);
  return reference;
}

/** Median wall time (harness) plus this process's CPU time per run: on a shared machine wall time includes waiting for a core. */
async function timeBoth(fn: () => unknown, repeats: number, warmup: number): Promise<{ ms: number; cpuMs: number }> {
  const before = process.cpuUsage();
  const ms = await medianMs(fn, repeats, warmup);
  const used = process.cpuUsage(before);
  return { ms, cpuMs: (used.user + used.system) / 1000 / (repeats + warmup) };
}

/** Formats the reference figure beside ours. Await `referenceTimings(key)` before timing ours so the two never overlap. */
async function versus(ours: number, key: string, label: string): Promise<string> {
  const ref = await referenceTimings(key);
  const theirs = ref?.[key];
  if (typeof theirs !== 'number') return `${label}: not measured (no .venv-fixtures; run bash python/fixtures/make.sh --venv-only)`;
  return `${label} ${theirs.toFixed(1)} ms → ${(theirs / ours).toFixed(1)}× faster`;
}

function snapshotInputs() {
  const n = 86_400;
  const { y, x } = regressionData(n, 5);
  const time = Float64Array.from({ length: n }, (_, i) => 1_700_000_000_000 + i * 1000);
  return { time, y, x };
}

const snapshotOptions = {
  pair: 'SYM0USDT/SYM1USDT',
  hedge: { method: 'kalman' as const, params: { delta: 1e-5, observationVariance: 1 } },
  zWindow: ROLLING_WINDOW,
  correlationWindow: ROLLING_WINDOW,
  alerts: [
    { kind: 'zscore' as const, threshold: 2 },
    { kind: 'correlationFloor' as const, threshold: 0.3 },
    { kind: 'adfPValue' as const, threshold: 0.1 },
  ],
};

export const benchmarks: Benchmark[] = [
  {
    group: 'analytics',
    name: 'ADF autolag AIC, 100,000 points',
    target: { kind: 'max', value: 50 },
    async run() {
      await referenceTimings('adf100k');
      const { ms, cpuMs } = await timeBoth(() => adfuller(data.adf100k), 7, 2);
      return { value: ms, unit: 'ms', detail: `${await versus(ms, 'adf100k', 'statsmodels adfuller')}; CPU ${cpuMs.toFixed(1)} ms/run` };
    },
  },
  {
    group: 'analytics',
    name: 'ADF autolag AIC, 1,000,000 points',
    async run() {
      const ms = await medianMs(() => adfuller(data.adf1m), 3, 1);
      return { value: ms, unit: 'ms', detail: 'statsmodels not run: adfuller keeps every candidate lag\'s exog and pinv (~120 GB at 1e6) and runs out of memory' };
    },
  },
  {
    group: 'analytics',
    name: 'Huber regression, 1,000,000 points',
    async run() {
      const ms = await medianMs(() => huber(data.reg1m.y, data.reg1m.x), 5, 1);
      return { value: ms, unit: 'ms', detail: `${await versus(ms, 'huber1m', 'sklearn HuberRegressor')} (target ≥ 10×; ours converged, sklearn stops at ftol)` };
    },
  },
  {
    group: 'analytics',
    name: `rolling z-score (window ${ROLLING_WINDOW}), 1,000,000 points`,
    async run() {
      const ms = await medianMs(() => rollingZScore(data.reg1m.y, ROLLING_WINDOW), 7, 2);
      return { value: ms, unit: 'ms', detail: `${await versus(ms, 'rollingZ1m', 'pandas rolling mean/std')} (target ≥ 1×)` };
    },
  },
  {
    group: 'analytics',
    name: 'pair snapshot, 86,400 one-second bars',
    target: { kind: 'max', value: 50 },
    async run() {
      const { time, y, x } = snapshotInputs();
      // a live panel computes snapshots over and over, so the target is on the warm figure; the first (cold) call,
      // which includes compiling the code, is reported beside it
      const t0 = performance.now();
      pairSnapshot(time, y, x, snapshotOptions);
      const coldMs = performance.now() - t0;
      const { ms, cpuMs } = await timeBoth(() => pairSnapshot(time, y, x, snapshotOptions), 9, 5);
      useWasmKernels(false);
      const plainMs = await medianMs(() => pairSnapshot(time, y, x, snapshotOptions), 9, 5).finally(() => useWasmKernels(true));
      return {
        value: ms,
        unit: 'ms',
        detail: `median of 9 after 6 warm-up runs (the first, cold call ${coldMs.toFixed(0)} ms); CPU ${cpuMs.toFixed(1)} ms/run; plain JS loops instead of the WASM SIMD kernels ${plainMs.toFixed(1)} ms; ` + 'Kalman hedge, spread, z, correlation, alerts + in-sample OLS, ADF, coint both ways, half-life, Hurst, lead-lag (no rolling ADF); no single reference equivalent (statsmodels ADF alone takes tens of seconds at this size)',
      };
    },
  },
  {
    group: 'analytics',
    name: 'incremental one-bar update (PairState, after 86,400 bars)',
    target: { kind: 'max', value: 1 },
    async run() {
      const { time, y, x } = snapshotInputs();
      const state = new PairState({ ...snapshotOptions, adfWindow: 1000, adfEvery: 60 });
      const warm = 80_000;
      for (let i = 0; i < warm; i++) state.append(time[i], y[i], x[i]);
      const times: number[] = [];
      for (let i = warm; i < time.length; i++) {
        const t0 = performance.now();
        state.append(time[i], y[i], x[i]);
        times.push(performance.now() - t0);
      }
      times.sort((a, b) => a - b);
      const p = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))];
      return { value: p(0.5), unit: 'ms', detail: `median of ${times.length} appends; p99 ${p(0.99).toFixed(3)} ms, max ${p(1).toFixed(3)} ms (bars with an ADF re-evaluation on 1,000 spreads)` };
    },
  },
  {
    group: 'analytics',
    name: 'pair scan, 45 pairs of 10 symbols × 1,440 bars',
    target: { kind: 'max', value: 1000 },
    async run() {
      let rows = 0;
      const ms = await medianMs(() => (rows = scanPairs(data.scan).length), 5, 1);
      if (rows !== 45) throw new Error(`scan returned ${rows} pairs, expected 45`);
      return { value: ms, unit: 'ms', detail: await versus(ms, 'scan45', 'statsmodels coint ×2 + adfuller + OLS per pair') };
    },
  },
  {
    group: 'analytics',
    name: 'OU exact MLE fit, 86,400 one-second bars',
    target: { kind: 'max', value: 20 },
    async run() {
      // exact OU transitions with θ = 20/day, σ = 0.5/√day, sampled every second (θ·dt ≈ 2.3e-4)
      const g = generator(17);
      const n = 86_400;
      const dt = 1 / 86_400;
      const b = Math.exp(-20 * dt);
      const sd = 0.5 * Math.sqrt(-Math.expm1(-40 * dt) / 40);
      const x = new Float64Array(n);
      x[0] = 1;
      for (let i = 1; i < n; i++) x[i] = 1 + b * (x[i - 1] - 1) + sd * g();
      let theta = NaN;
      const ms = await medianMs(() => (theta = ouFit(x, { dt }).theta), 9, 3);
      return { value: ms, unit: 'ms', detail: `θ, μ, σ, half-life and standard errors (fitted θ ${theta.toFixed(1)}/day, true 20); statsmodels has no OU fit to time beside it` };
    },
  },
  {
    group: 'analytics',
    name: 'Johansen, 2 series × 1,000,000 points (det_order 0, k_ar_diff 1)',
    async run() {
      await referenceTimings('johansen1m');
      const series = [data.johansen1m.y, data.johansen1m.xs[0]];
      let r = johansen(series, 0, 1);
      const { ms, cpuMs } = await timeBoth(() => (r = johansen(series, 0, 1)), 7, 2);
      useWasmKernels(false);
      const plainMs = await medianMs(() => johansen(series, 0, 1), 7, 2).finally(() => useWasmKernels(true));
      const reference = await referenceTimings('johansen1m');
      const stats = reference?.johansen1mStats;
      const theirCpu = reference?.johansen1mCpu;
      const cpu = `CPU ${cpuMs.toFixed(1)} ms/run` + (typeof theirCpu === 'number' ? ` vs statsmodels (all its BLAS threads) ${theirCpu.toFixed(1)} ms → ${(theirCpu / cpuMs).toFixed(1)}×` : '');
      let accuracy = 'accuracy: not measured (no .venv-fixtures)';
      if (stats && typeof stats === 'object') {
        const rel = (values: ArrayLike<number>) => Math.max(...stats.refLr1.map((v, i) => Math.abs(values[i] - v) / Math.abs(v)));
        accuracy = `trace statistic relative error vs a long-double computation: ours ${rel(r.traceStat).toExponential(1)}, statsmodels ${rel(stats.lr1).toExponential(1)}`;
      }
      return { value: ms, unit: 'ms', detail: `${await versus(ms, 'johansen1m', 'statsmodels coint_johansen')} (target ≥ 5×); ${cpu}; plain JS loops instead of the WASM SIMD kernels ${plainMs.toFixed(1)} ms; ${accuracy}` };
    },
  },
  {
    group: 'analytics',
    name: 'Johansen, 8 series × 173 rows (published data), k_ar_diff 9: largest relative difference from statsmodels',
    target: { kind: 'max', value: 1e-10 },
    async run() {
      interface Run { detOrder: number; kArDiff: number; eig: number[]; lr1: number[]; lr2: number[] }
      const file = path.join(root, 'test', 'fixtures', 'analytics', 'johansen.json');
      const fixture = JSON.parse(readFileSync(file, 'utf8')) as { cases: Record<string, { data: number[][]; runs: Run[] }> };
      const published = fixture.cases.published173;
      const run = published.runs.find((x) => x.detOrder === 0 && x.kArDiff === 9);
      if (!run) throw new Error('johansen.json has no published173 det_order 0, k_ar_diff 9 run: regenerate the fixtures');
      const r = johansen(published.data, 0, 9);
      const rel = (ours: ArrayLike<number>, theirs: number[]) => Math.max(...theirs.map((v, i) => Math.abs(ours[i] - v) / Math.abs(v)));
      const diff = Math.max(rel(r.eigenvalues, run.eig), rel(r.traceStat, run.lr1), rel(r.maxEigStat, run.lr2));
      const ms = await medianMs(() => johansen(published.data, 0, 9), 9, 3);
      return { value: diff, unit: 'relative', detail: `eigenvalues, trace and max-eigenvalue statistics vs statsmodels (committed fixture); ${ms.toFixed(2)} ms per run` };
    },
  },
  {
    group: 'analytics',
    name: 'coint(y, X), 3 regressors × 100,000 points',
    async run() {
      await referenceTimings('coint3x100k');
      const { y, xs } = data.coint3x100k;
      const { ms, cpuMs } = await timeBoth(() => coint(y, xs), 7, 2);
      return { value: ms, unit: 'ms', detail: `${await versus(ms, 'coint3x100k', 'statsmodels coint(y, X)')} (target ≥ 100×); CPU ${cpuMs.toFixed(1)} ms/run` };
    },
  },
];
