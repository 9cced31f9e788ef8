import { consumeCommand } from './consume';
import { recordCommand } from './record';
import { simulateCommand } from './simulate';
import { importCsvCommand, queryCommand } from './import-csv';
import { exportCommand } from './export';
import { scanCommand } from './scan';
import { searchCommand } from './search';

/** A CLI command: parses its own arguments and returns the process exit code. */
export interface Command {
  summary: string;
  run(args: string[]): Promise<number>;
}

/** Every `pairs-lab` command, by name. Each feature registers its command here. */
export const commands: Record<string, Command> = {
  record: recordCommand,
  simulate: simulateCommand,
  'import-csv': importCsvCommand,
  query: queryCommand,
  consume: consumeCommand,
  export: exportCommand,
  scan: scanCommand,
  search: searchCommand,
};
