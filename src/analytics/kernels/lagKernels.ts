import { lagKernelsWasm } from './lagKernelsWasm';

/**
 * The WebAssembly SIMD kernels of lagKernels.wat behind a typed interface. Callers place their arrays in the
 * kernel's memory, run a kernel over the rows it takes (an even count: two rows per SIMD step) and finish any
 * odd row themselves. `lagKernels()` is null where WebAssembly SIMD is unavailable or turned off; callers then
 * run their plain loops, which stay the reference the kernels are tested against.
 */
interface KernelExports {
  memory: WasmMemory;
  lagDots4(e: number, x: number, t0: number, rows: number, j: number, out: number): void;
  lagDiffSquares4(s: number, m: number, k: number, mu0: number, mu1: number, mu2: number, mu3: number, out: number): void;
  dots4(a: number, b0: number, b1: number, b2: number, b3: number, len: number, out: number): void;
  dot(a: number, b: number, len: number): number;
}

// the part of the WebAssembly JS API used here (TypeScript declares it only in lib.dom, which a Node library leaves out)
interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
declare const WebAssembly: {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { readonly exports: unknown };
};

const PAGE = 65_536;
// the first 64 bytes hold a kernel's results; arrays are placed after them, each on a 16-byte boundary
const OUT = 0;
const FIRST_ARRAY = 64;

export class LagKernels {
  private view: Float64Array;
  private results: Float64Array;

  constructor(private readonly exports: KernelExports) {
    this.view = new Float64Array(exports.memory.buffer);
    this.results = this.view.subarray(OUT / 8, OUT / 8 + 4);
  }

  /** Grows the memory to `end` bytes (views of the old buffer are then detached) and renews the views. */
  private reserve(end: number): void {
    const memory = this.exports.memory;
    if (end > memory.buffer.byteLength) memory.grow(Math.ceil((end - memory.buffer.byteLength) / PAGE));
    if (this.view.buffer !== memory.buffer) {
      this.view = new Float64Array(memory.buffer);
      this.results = this.view.subarray(OUT / 8, OUT / 8 + 4);
    }
  }

  /**
   * Working space of `length` values in kernel memory, for a caller that fills it directly (no copy): value i is
   * at byte offset `scratchOffset + 8·i`. Valid until the next `place` or `scratch`.
   */
  scratch(length: number): Float64Array {
    this.reserve(FIRST_ARRAY + length * 8);
    return this.view.subarray(FIRST_ARRAY / 8, FIRST_ARRAY / 8 + length);
  }

  readonly scratchOffset = FIRST_ARRAY;

  /** [Σ a[i]·b_q[i] over i < len] for q = 0..3, columns at byte offsets. The result is a view, valid until the next kernel call. */
  dots4(a: number, b0: number, b1: number, b2: number, b3: number, len: number): Float64Array {
    this.exports.dots4(a, b0, b1, b2, b3, len, OUT);
    return this.results;
  }

  /** Σ a[i]·b[i] over i < len, columns at byte offsets. */
  dot(a: number, b: number, len: number): number {
    return this.exports.dot(a, b, len);
  }

  /** Copies the arrays into kernel memory (growing it when needed) and returns their byte offsets. */
  place(arrays: readonly Float64Array[]): number[] {
    const offsets: number[] = [];
    let end = FIRST_ARRAY;
    for (const a of arrays) {
      offsets.push(end);
      end += Math.ceil((a.length * 8) / 16) * 16;
    }
    this.reserve(end);
    arrays.forEach((a, i) => this.view.set(a, offsets[i] / 8));
    return offsets;
  }

  /**
   * For lags j..j+3 over rows t0..t0+rows−1 (rows even) of placed arrays e and x: [Σ e[t]·e[t−j−q]] for q = 0..3,
   * then [Σ x[t]·e[t−j−q]]. Needs t0 ≥ j + 3. The result is a view, valid until the next kernel call.
   */
  lagDots4(e: number, x: number, t0: number, rows: number, j: number): Float64Array {
    if (rows % 2 !== 0 || t0 < j + 3) throw new RangeError(`lagDots4: rows ${rows} must be even and t0 ${t0} ≥ j + 3 = ${j + 3}`);
    this.exports.lagDots4(e, x, t0, rows, j, OUT);
    return this.view.subarray(OUT / 8, OUT / 8 + 8);
  }

  /**
   * For lags k..k+3 over i = 0..m−1 (m even) of the placed array s: Σ (s[i+k+q] − s[i] − mu[q])² for q = 0..3.
   * The result is a view, valid until the next kernel call.
   */
  lagDiffSquares4(s: number, m: number, k: number, mu: ArrayLike<number>): Float64Array {
    if (m % 2 !== 0) throw new RangeError(`lagDiffSquares4: m ${m} must be even`);
    this.exports.lagDiffSquares4(s, m, k, mu[0], mu[1], mu[2], mu[3], OUT);
    return this.view.subarray(OUT / 8, OUT / 8 + 4);
  }
}

let instance: LagKernels | null | undefined;
let enabled = true;

function instantiate(): LagKernels | null {
  if (typeof WebAssembly !== 'object') return null;
  const bytes = Uint8Array.from(atob(lagKernelsWasm), (c) => c.charCodeAt(0));
  // validate first: a runtime without SIMD rejects the module, and the plain loops take over
  if (!WebAssembly.validate(bytes)) return null;
  const module = new WebAssembly.Module(bytes);
  return new LagKernels(new WebAssembly.Instance(module, {}).exports as KernelExports);
}

/** The SIMD kernels, or null when unavailable or turned off with `useWasmKernels(false)`. */
export function lagKernels(): LagKernels | null {
  if (!enabled) return null;
  if (instance === undefined) instance = instantiate();
  return instance;
}

/** Turns the SIMD kernels off (plain loops) or back on: for tests and benchmarks that compare the two. */
export function useWasmKernels(on: boolean): void {
  enabled = on;
}
