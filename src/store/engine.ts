// The DuckDB instance and connection of one task of the store writer (flushing or compacting), replaced by a fresh
// instance every so many uses. DuckDB keeps a handle to every temporary buffer a query used in its eviction queue
// until that queue is purged, which it does only once the queue holds tens of thousands of entries; under a
// memory_limit that is never reached the handles of past queries pile up. Measured with heaptrack in `record --sim`:
// 28,171 live BlockHandles after 4 minutes, 81,902 after 10, while DuckDB's buffer pool held about 1 MB. A new
// instance starts with empty queues; opening one takes about 12–30 ms.
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { type DuckDBBudget, duckdbConfig } from './duckdb-budget';

export class WriterEngine {
  private constructor(private readonly budget: DuckDBBudget, private readonly recycleEvery: number, private instance: DuckDBInstance, private connection: DuckDBConnection) {}

  static async open(budget: DuckDBBudget, recycleEvery: number): Promise<WriterEngine> {
    const instance = await DuckDBInstance.create(':memory:', duckdbConfig(budget));
    return new WriterEngine(budget, recycleEvery, instance, await instance.connect());
  }

  get conn(): DuckDBConnection {
    return this.connection;
  }

  /**
   * Counts one use; every `recycleEvery` uses a fresh instance replaces this one, once `prepare` has set up its
   * connection (what was kept in the old instance is gone). Resolves with what `prepare` made then, else null. If the
   * fresh instance cannot be made ready, the old one stays in use and the error is thrown.
   */
  async recycleIfDue<T>(prepare: (conn: DuckDBConnection) => Promise<T>): Promise<T | null> {
    if (++this.uses < this.recycleEvery) return null;
    this.uses = 0;
    const instance = await DuckDBInstance.create(':memory:', duckdbConfig(this.budget));
    let connection: DuckDBConnection | null = null;
    let prepared: T;
    try {
      connection = await instance.connect();
      prepared = await prepare(connection);
    } catch (err) {
      connection?.closeSync();
      instance.closeSync();
      throw err;
    }
    this.close();
    this.instance = instance;
    this.connection = connection;
    return prepared;
  }

  async memoryBytes(): Promise<number> {
    const reader = await this.connection.runAndReadAll('SELECT CAST(COALESCE(sum(memory_usage_bytes), 0) AS DOUBLE) FROM duckdb_memory()');
    return Number(reader.getRows()[0][0]);
  }

  close(): void {
    this.connection.closeSync();
    this.instance.closeSync();
  }

  private uses = 0;
}
