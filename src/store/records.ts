import type { AlertRecord, GapRecord } from './types';

export async function appendAlerts(dir: string, alerts: readonly AlertRecord[]): Promise<void> {
  throw new Error(`appendAlerts(${dir}, ${alerts.length}): not implemented yet`);
}

export async function appendGaps(dir: string, gaps: readonly GapRecord[]): Promise<void> {
  throw new Error(`appendGaps(${dir}, ${gaps.length}): not implemented yet`);
}
