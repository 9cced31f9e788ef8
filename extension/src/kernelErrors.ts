import type { CsvIssue } from './protocol';

/** A request the kernel refused or could not answer, with what to do about it. */
export class PanelRequestError extends Error {
  constructor(message: string, readonly field?: string, readonly details?: CsvIssue[]) {
    super(message);
  }
}

/** A request lost because its kernel went away or was replaced meanwhile (a restart): sending it again is enough. */
export class KernelChangedError extends PanelRequestError {}

/** The longest kernel output quoted in an error message, characters. */
const QUOTED_OUTPUT = 400;

/**
 * The error for a request the kernel failed to run; `output` is what the kernel said (may be empty), `restarting` whether
 * its kernel was being restarted or replaced meanwhile.
 */
export function kernelFailure(what: string, output: string, context: { restarting?: boolean } = {}): PanelRequestError {
  // A restart shuts the old kernel down mid-request (tslab then reports "Interrupted asynchronously"): the request
  // was lost to the restart, not refused, and goes to the new kernel.
  if (context.restarting) {
    return new KernelChangedError(`The "${what}" request was cut off by a kernel restart. It will be sent to the new kernel.`);
  }
  if (/Cannot find module 'pairs-lab'/.test(output)) {
    return new PanelRequestError('The kernel cannot find the pairs-lab library. Run `npm run setup` (or `npm run build`) in the project folder, then restart the kernel.');
  }
  if (/^Error: Interrupted asynchronously/m.test(output)) {
    return new KernelChangedError(`The "${what}" request was interrupted (the kernel was interrupted or shut down while it ran). It will be sent again on the next refresh.`);
  }
  if (/Cannot find name 'pairsLab'/.test(output)) {
    return new KernelChangedError(`The "${what}" request reached a kernel without the pairs-lab library loaded (a new kernel). The panel loads it again and sends the request on the next refresh.`);
  }
  const said = output.length > QUOTED_OUTPUT ? `${output.slice(0, QUOTED_OUTPUT)}…` : output;
  return new PanelRequestError(said
    ? `The kernel failed to run the "${what}" request: ${said}. If it keeps happening, restart the kernel from the panel.`
    : `The kernel failed to run the "${what}" request and gave no reason (nothing on its error output). If it keeps happening, restart the kernel from the panel.`);
}
