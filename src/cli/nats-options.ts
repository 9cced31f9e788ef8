// Options the stream commands share (record --nats, consume).

/** JetStream accepts 1 to 5 replicas. */
export function replicas(v: string | undefined): number {
  if (v === undefined) return 1;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > 5) throw new Error(`--nats-replicas must be a whole number from 1 to 5 (one per cluster node), got "${v}"`);
  return n;
}
