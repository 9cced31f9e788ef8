// Time source for the feed and the simulated exchange. Everything time-dependent (stale timeouts, backoff,
// 24 h rotation, trade times) goes through a Clock so tests can run a day in seconds.

export interface TimerHandle {
  cancel(): void;
}

export interface Clock {
  /** Epoch milliseconds in this clock's time. */
  now(): number;
  /** Runs `fn` after `ms` of this clock's time. */
  setTimer(fn: () => void, ms: number): TimerHandle;
  /** Runs `fn` every `ms` of this clock's time. */
  setInterval(fn: () => void, ms: number): TimerHandle;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

function makeClock(now: () => number, toRealMs: (ms: number) => number): Clock {
  return {
    now,
    setTimer(fn, ms) {
      const t = setTimeout(fn, Math.max(0, toRealMs(ms)));
      t.unref?.();
      return { cancel: () => clearTimeout(t) };
    },
    setInterval(fn, ms) {
      const t = setInterval(fn, Math.max(1, toRealMs(ms)));
      t.unref?.();
      return { cancel: () => clearInterval(t) };
    },
    sleep(ms, signal) {
      return new Promise<void>((resolve, reject) => {
        if (signal?.aborted) return reject(signal.reason ?? new Error('aborted'));
        const t = setTimeout(done, Math.max(0, toRealMs(ms)));
        function done(): void {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        }
        function onAbort(): void {
          clearTimeout(t);
          reject(signal?.reason ?? new Error('aborted'));
        }
        signal?.addEventListener('abort', onAbort, { once: true });
      });
    },
  };
}

export const systemClock: Clock = makeClock(() => Date.now(), (ms) => ms);

/**
 * A clock that runs `factor` times faster than wall time, starting at `startMs` (default: now).
 * Two parties sharing one accelerated clock agree on time, so a "24 h" connection limit passes in 86.4 s / factor.
 */
export function acceleratedClock(factor: number, startMs = Date.now()): Clock {
  if (!(factor > 0)) throw new Error(`acceleratedClock: factor must be > 0, got ${factor}`);
  const realStart = performance.now();
  return makeClock(
    () => Math.floor(startMs + (performance.now() - realStart) * factor),
    (ms) => ms / factor,
  );
}

/** `base` read `offsetMs` later (a machine whose clock is off by that much); timers run as `base`'s do. */
export function offsetClock(base: Clock, offsetMs: number): Clock {
  return offsetMs === 0 ? base : { ...base, now: () => base.now() + offsetMs };
}
