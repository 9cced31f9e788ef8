;; SIMD kernels for the two O(rows × lags) sweeps of a pair snapshot (the ADF lag search's cross sums and the
;; Hurst exponent's lagged-difference variances) and for the Johansen moment pass's column products. Each works
;; on two consecutive rows at once (f64x2), so every sum is two interleaved partial sums (even and odd rows) added
;; at the end.
;; Compiled by scripts/build-wasm.mjs into lagKernelsWasm.ts; addresses are byte offsets into `memory`.
(module
  (memory (export "memory") 1)

  ;; For lags j..j+3 over rows t = t0 .. t0+rows−1 (rows even):
  ;;   out[q]     = Σ e[t]·e[t−j−q]
  ;;   out[4 + q] = Σ x[t]·e[t−j−q]
  ;; e and x are f64 arrays at byte offsets $e and $x; out at byte offset $out (8 f64).
  (func (export "lagDots4") (param $e i32) (param $x i32) (param $t0 i32) (param $rows i32) (param $j i32) (param $out i32)
    (local $pe i32) (local $px i32) (local $pl i32) (local $end i32)
    (local $r0 v128) (local $r1 v128) (local $r2 v128) (local $r3 v128)
    (local $c0 v128) (local $c1 v128) (local $c2 v128) (local $c3 v128)
    (local $et v128) (local $xt v128) (local $l v128)
    (local.set $pe (i32.add (local.get $e) (i32.shl (local.get $t0) (i32.const 3))))
    (local.set $px (i32.add (local.get $x) (i32.shl (local.get $t0) (i32.const 3))))
    (local.set $end (i32.add (local.get $pe) (i32.shl (local.get $rows) (i32.const 3))))
    ;; $pl points at e[t − j − 3]: the four lagged pairs sit at byte offsets 24, 16, 8, 0 from it
    (local.set $pl (i32.sub (local.get $pe) (i32.shl (i32.add (local.get $j) (i32.const 3)) (i32.const 3))))
    (block $done
      (loop $row
        (br_if $done (i32.ge_u (local.get $pe) (local.get $end)))
        (local.set $et (v128.load (local.get $pe)))
        (local.set $xt (v128.load (local.get $px)))
        (local.set $l (v128.load offset=24 (local.get $pl)))
        (local.set $r0 (f64x2.add (local.get $r0) (f64x2.mul (local.get $et) (local.get $l))))
        (local.set $c0 (f64x2.add (local.get $c0) (f64x2.mul (local.get $xt) (local.get $l))))
        (local.set $l (v128.load offset=16 (local.get $pl)))
        (local.set $r1 (f64x2.add (local.get $r1) (f64x2.mul (local.get $et) (local.get $l))))
        (local.set $c1 (f64x2.add (local.get $c1) (f64x2.mul (local.get $xt) (local.get $l))))
        (local.set $l (v128.load offset=8 (local.get $pl)))
        (local.set $r2 (f64x2.add (local.get $r2) (f64x2.mul (local.get $et) (local.get $l))))
        (local.set $c2 (f64x2.add (local.get $c2) (f64x2.mul (local.get $xt) (local.get $l))))
        (local.set $l (v128.load (local.get $pl)))
        (local.set $r3 (f64x2.add (local.get $r3) (f64x2.mul (local.get $et) (local.get $l))))
        (local.set $c3 (f64x2.add (local.get $c3) (f64x2.mul (local.get $xt) (local.get $l))))
        (local.set $pe (i32.add (local.get $pe) (i32.const 16)))
        (local.set $px (i32.add (local.get $px) (i32.const 16)))
        (local.set $pl (i32.add (local.get $pl) (i32.const 16)))
        (br $row)))
    (call $store2 (local.get $out) (i32.const 0) (local.get $r0))
    (call $store2 (local.get $out) (i32.const 1) (local.get $r1))
    (call $store2 (local.get $out) (i32.const 2) (local.get $r2))
    (call $store2 (local.get $out) (i32.const 3) (local.get $r3))
    (call $store2 (local.get $out) (i32.const 4) (local.get $c0))
    (call $store2 (local.get $out) (i32.const 5) (local.get $c1))
    (call $store2 (local.get $out) (i32.const 6) (local.get $c2))
    (call $store2 (local.get $out) (i32.const 7) (local.get $c3)))

  ;; For lags k..k+3 over i = 0 .. m−1 (m even), with s the f64 array at byte offset $s:
  ;;   out[q] = Σ (s[i+k+q] − s[i] − mu_q)²
  (func (export "lagDiffSquares4") (param $s i32) (param $m i32) (param $k i32)
        (param $mu0 f64) (param $mu1 f64) (param $mu2 f64) (param $mu3 f64) (param $out i32)
    (local $p i32) (local $pk i32) (local $end i32)
    (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128)
    (local $m0 v128) (local $m1 v128) (local $m2 v128) (local $m3 v128) (local $si v128) (local $d v128)
    (local.set $m0 (f64x2.splat (local.get $mu0)))
    (local.set $m1 (f64x2.splat (local.get $mu1)))
    (local.set $m2 (f64x2.splat (local.get $mu2)))
    (local.set $m3 (f64x2.splat (local.get $mu3)))
    (local.set $p (local.get $s))
    (local.set $pk (i32.add (local.get $s) (i32.shl (local.get $k) (i32.const 3))))
    (local.set $end (i32.add (local.get $s) (i32.shl (local.get $m) (i32.const 3))))
    (block $done
      (loop $row
        (br_if $done (i32.ge_u (local.get $p) (local.get $end)))
        (local.set $si (v128.load (local.get $p)))
        (local.set $d (f64x2.sub (f64x2.sub (v128.load (local.get $pk)) (local.get $si)) (local.get $m0)))
        (local.set $a0 (f64x2.add (local.get $a0) (f64x2.mul (local.get $d) (local.get $d))))
        (local.set $d (f64x2.sub (f64x2.sub (v128.load offset=8 (local.get $pk)) (local.get $si)) (local.get $m1)))
        (local.set $a1 (f64x2.add (local.get $a1) (f64x2.mul (local.get $d) (local.get $d))))
        (local.set $d (f64x2.sub (f64x2.sub (v128.load offset=16 (local.get $pk)) (local.get $si)) (local.get $m2)))
        (local.set $a2 (f64x2.add (local.get $a2) (f64x2.mul (local.get $d) (local.get $d))))
        (local.set $d (f64x2.sub (f64x2.sub (v128.load offset=24 (local.get $pk)) (local.get $si)) (local.get $m3)))
        (local.set $a3 (f64x2.add (local.get $a3) (f64x2.mul (local.get $d) (local.get $d))))
        (local.set $p (i32.add (local.get $p) (i32.const 16)))
        (local.set $pk (i32.add (local.get $pk) (i32.const 16)))
        (br $row)))
    (call $store2 (local.get $out) (i32.const 0) (local.get $a0))
    (call $store2 (local.get $out) (i32.const 1) (local.get $a1))
    (call $store2 (local.get $out) (i32.const 2) (local.get $a2))
    (call $store2 (local.get $out) (i32.const 3) (local.get $a3)))

;; For the Johansen moment pass (a block of rows held column by column): out[q] = Σ a[i]·b_q[i] over i < len,
  ;; a and b0..b3 f64 columns at byte offsets (any multiple of 8: a column may start on an odd row); out 4 f64.
  (func (export "dots4") (param $a i32) (param $b0 i32) (param $b1 i32) (param $b2 i32) (param $b3 i32) (param $len i32) (param $out i32)
    (local $end i32) (local $last i32) (local $va v128)
    (local $s0 v128) (local $s1 v128) (local $s2 v128) (local $s3 v128)
    (local.set $last (i32.add (local.get $a) (i32.shl (local.get $len) (i32.const 3))))
    ;; whole pairs of rows; an odd last row is added below
    (local.set $end (i32.add (local.get $a) (i32.shl (i32.and (local.get $len) (i32.const -2)) (i32.const 3))))
    (block $done
      (loop $row
        (br_if $done (i32.ge_u (local.get $a) (local.get $end)))
        (local.set $va (v128.load (local.get $a)))
        (local.set $s0 (f64x2.add (local.get $s0) (f64x2.mul (local.get $va) (v128.load (local.get $b0)))))
        (local.set $s1 (f64x2.add (local.get $s1) (f64x2.mul (local.get $va) (v128.load (local.get $b1)))))
        (local.set $s2 (f64x2.add (local.get $s2) (f64x2.mul (local.get $va) (v128.load (local.get $b2)))))
        (local.set $s3 (f64x2.add (local.get $s3) (f64x2.mul (local.get $va) (v128.load (local.get $b3)))))
        (local.set $a (i32.add (local.get $a) (i32.const 16)))
        (local.set $b0 (i32.add (local.get $b0) (i32.const 16)))
        (local.set $b1 (i32.add (local.get $b1) (i32.const 16)))
        (local.set $b2 (i32.add (local.get $b2) (i32.const 16)))
        (local.set $b3 (i32.add (local.get $b3) (i32.const 16)))
        (br $row)))
    (if (i32.lt_u (local.get $a) (local.get $last))
      (then
        ;; the odd row, in lane 0 only
        (local.set $va (f64x2.replace_lane 0 (v128.const f64x2 0 0) (f64.load (local.get $a))))
        (local.set $s0 (f64x2.add (local.get $s0) (f64x2.mul (local.get $va) (f64x2.splat (f64.load (local.get $b0))))))
        (local.set $s1 (f64x2.add (local.get $s1) (f64x2.mul (local.get $va) (f64x2.splat (f64.load (local.get $b1))))))
        (local.set $s2 (f64x2.add (local.get $s2) (f64x2.mul (local.get $va) (f64x2.splat (f64.load (local.get $b2))))))
        (local.set $s3 (f64x2.add (local.get $s3) (f64x2.mul (local.get $va) (f64x2.splat (f64.load (local.get $b3))))))))
    (call $store2 (local.get $out) (i32.const 0) (local.get $s0))
    (call $store2 (local.get $out) (i32.const 1) (local.get $s1))
    (call $store2 (local.get $out) (i32.const 2) (local.get $s2))
    (call $store2 (local.get $out) (i32.const 3) (local.get $s3)))

  ;; Σ a[i]·b[i] over i < len (byte offsets, any multiple of 8), four rows per step in two accumulators.
  (func (export "dot") (param $a i32) (param $b i32) (param $len i32) (result f64)
    (local $end i32) (local $last i32) (local $s0 v128) (local $s1 v128) (local $s f64)
    (local.set $last (i32.add (local.get $a) (i32.shl (local.get $len) (i32.const 3))))
    (local.set $end (i32.add (local.get $a) (i32.shl (i32.and (local.get $len) (i32.const -4)) (i32.const 3))))
    (block $done
      (loop $row
        (br_if $done (i32.ge_u (local.get $a) (local.get $end)))
        (local.set $s0 (f64x2.add (local.get $s0) (f64x2.mul (v128.load (local.get $a)) (v128.load (local.get $b)))))
        (local.set $s1 (f64x2.add (local.get $s1) (f64x2.mul (v128.load offset=16 (local.get $a)) (v128.load offset=16 (local.get $b)))))
        (local.set $a (i32.add (local.get $a) (i32.const 32)))
        (local.set $b (i32.add (local.get $b) (i32.const 32)))
        (br $row)))
    (local.set $s0 (f64x2.add (local.get $s0) (local.get $s1)))
    (local.set $s (f64.add (f64x2.extract_lane 0 (local.get $s0)) (f64x2.extract_lane 1 (local.get $s0))))
    (block $tail
      (loop $one
        (br_if $tail (i32.ge_u (local.get $a) (local.get $last)))
        (local.set $s (f64.add (local.get $s) (f64.mul (f64.load (local.get $a)) (f64.load (local.get $b)))))
        (local.set $a (i32.add (local.get $a) (i32.const 8)))
        (local.set $b (i32.add (local.get $b) (i32.const 8)))
        (br $one)))
    (local.get $s))

  ;; out[slot] = lane 0 + lane 1
  (func $store2 (param $out i32) (param $slot i32) (param $v v128)
    (f64.store
      (i32.add (local.get $out) (i32.shl (local.get $slot) (i32.const 3)))
      (f64.add (f64x2.extract_lane 0 (local.get $v)) (f64x2.extract_lane 1 (local.get $v))))))
