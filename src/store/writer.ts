import type { StoreWriter, StoreWriterOptions } from './types';

export class WriterLockedError extends Error {
  constructor(readonly dir: string, readonly pid: number) {
    super(`store ${dir} already has a tick writer (pid ${pid}); stop that process or use openStoreReader to read`);
    this.name = 'WriterLockedError';
  }
}

export async function openStoreWriter(opts: StoreWriterOptions): Promise<StoreWriter> {
  throw new Error(`openStoreWriter(${opts.dir}): not implemented yet`);
}
