// Writes a batch of buffered ticks to a Parquet file with one COPY through the column copier.
import type { DuckDBConnection } from '@duckdb/node-api';
import { ColumnCopier, type CopiedColumn } from './column-copy';
import type { TickColumns } from './tick-buffer';

/** The Parquet columns of a tick file after `symbol`, in order. */
const TICK_COLUMNS: readonly CopiedColumn[] = [
  { name: 'aggId', type: 'BIGINT' }, { name: 'tradeTime', type: 'BIGINT' }, { name: 'price', type: 'DOUBLE' },
  { name: 'qty', type: 'DOUBLE' }, { name: 'isBuyerMaker', type: 'BOOLEAN' }, { name: 'recvTime', type: 'BIGINT' },
];

export class TickCopier {
  private constructor(private readonly copier: ColumnCopier) {}

  static async create(conn: DuckDBConnection): Promise<TickCopier> {
    return new TickCopier(await ColumnCopier.create(conn, 'pairs_lab_tick_batch', 'pairs_lab_symbols', TICK_COLUMNS));
  }

  /** Makes symbol ids usable in COPY; the id → name map must never change for an id. */
  defineSymbols(symbols: readonly string[]): Promise<void> {
    return this.copier.defineSymbols(symbols);
  }

  /** Writes `batch` to `file` (a temp name the caller renames). */
  copyToParquet(batch: TickColumns, file: string): Promise<void> {
    return this.copier.copyToParquet(
      { length: batch.length, symbolId: batch.symbolId, values: [batch.aggId, batch.tradeTime, batch.price, batch.qty, batch.isBuyerMaker, batch.recvTime] },
      file,
    );
  }
}
