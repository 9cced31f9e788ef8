import { openStoreReader, type GapRecord } from '../../src/store';

export async function readAllGaps(dir: string): Promise<GapRecord[]> {
  const reader = await openStoreReader({ dir });
  try {
    return await reader.gaps({});
  } finally {
    await reader.close();
  }
}
