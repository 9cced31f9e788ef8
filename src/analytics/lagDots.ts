import { type LagKernels, lagKernels } from './kernels/lagKernels';

/**
 * The ADF lag search's first row of cross sums over rows t = t0..e.length−1, for lags j = 0..p:
 * row0[j] = Σ e[t]·e[t−j] and levelCross[j] = Σ xc[t]·e[t−j]. O(rows × p): the bulk of an ADF with autolag.
 * Runs the SIMD kernel when there is one, else the plain loop (the reference the kernel is tested against).
 */
export function lagDots(e: Float64Array, xc: Float64Array, t0: number, p: number, row0: Float64Array, levelCross: Float64Array): void {
  const kernels = lagKernels();
  // the kernel works in blocks of four lags and reads e[t0 − p] at the deepest
  if (kernels && p >= 3 && t0 >= p) simdLagDots(kernels, e, xc, t0, p, row0, levelCross);
  else plainLagDots(e, xc, t0, p, row0, levelCross);
}

function simdLagDots(kernels: LagKernels, e: Float64Array, xc: Float64Array, t0: number, p: number, row0: Float64Array, levelCross: Float64Array): void {
  const last = e.length - 1;
  const rows = last - t0 + 1;
  const paired = rows - (rows % 2);
  const [pe, px] = kernels.place([e, xc]);
  for (let j = 0; j <= p; j += 4) {
    // the last block may overlap the one before it; the overlapping lags come out the same
    const block = Math.min(j, p - 3);
    const sums = kernels.lagDots4(pe, px, t0, paired, block);
    for (let q = 0; q < 4; q++) {
      const lag = block + q;
      let r = sums[q];
      let c = sums[4 + q];
      if (paired < rows) {
        const l = e[last - lag];
        r += e[last] * l;
        c += xc[last] * l;
      }
      row0[lag] = r;
      levelCross[lag] = c;
    }
  }
}

export function plainLagDots(e: Float64Array, xc: Float64Array, t0: number, p: number, row0: Float64Array, levelCross: Float64Array): void {
  const last = e.length - 1;
  // six lags per sweep so each e[t], xc[t] load serves twelve products
  // (six measured fastest here: fewer leave loads idle, more spill the accumulators out of registers)
  let j = 0;
  for (; j + 5 <= p; j += 6) {
    let r0 = 0, r1 = 0, r2 = 0, r3 = 0, r4 = 0, r5 = 0;
    let c0 = 0, c1 = 0, c2 = 0, c3 = 0, c4 = 0, c5 = 0;
    for (let t = t0; t <= last; t++) {
      const et = e[t];
      const xt = xc[t];
      const base = t - j;
      const l0 = e[base];
      const l1 = e[base - 1];
      const l2 = e[base - 2];
      const l3 = e[base - 3];
      const l4 = e[base - 4];
      const l5 = e[base - 5];
      r0 += et * l0;
      r1 += et * l1;
      r2 += et * l2;
      r3 += et * l3;
      r4 += et * l4;
      r5 += et * l5;
      c0 += xt * l0;
      c1 += xt * l1;
      c2 += xt * l2;
      c3 += xt * l3;
      c4 += xt * l4;
      c5 += xt * l5;
    }
    row0[j] = r0;
    row0[j + 1] = r1;
    row0[j + 2] = r2;
    row0[j + 3] = r3;
    row0[j + 4] = r4;
    row0[j + 5] = r5;
    levelCross[j] = c0;
    levelCross[j + 1] = c1;
    levelCross[j + 2] = c2;
    levelCross[j + 3] = c3;
    levelCross[j + 4] = c4;
    levelCross[j + 5] = c5;
  }
  for (; j <= p; j++) {
    let r = 0, c = 0;
    for (let t = t0; t <= last; t++) {
      const l = e[t - j];
      r += e[t] * l;
      c += xc[t] * l;
    }
    row0[j] = r;
    levelCross[j] = c;
  }
}
