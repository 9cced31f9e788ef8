// What the panel says when the kernel fails to run a request (extension/src/kernelErrors.ts): always what failed
// and what to do, never "undefined", with the kernel's own output quoted when it gave any.
import { describe, expect, it } from 'vitest';
import { KernelChangedError, PanelRequestError, kernelFailure } from '../../extension/src/kernelErrors';

describe('kernelFailure', () => {
  it('a fresh kernel without the library is a retry, named as such', () => {
    const err = kernelFailure('snapshot', "1:7 - Cannot find name 'pairsLab'.");
    expect(err).toBeInstanceOf(KernelChangedError);
    expect(err.message).toBe('The "snapshot" request reached a kernel without the pairs-lab library loaded (a new kernel). The panel loads it again and sends the request on the next refresh.');
  });

  it('a request interrupted by a shutdown (a restart) is a retry too', () => {
    const err = kernelFailure('snapshot', 'Error: Interrupted asynchronously\n    at createExecutor (/x/node_modules/tslab/dist/executor.js:87:23)');
    expect(err).toBeInstanceOf(KernelChangedError);
    expect(err.message).toBe('The "snapshot" request was interrupted (the kernel was interrupted or shut down while it ran). It will be sent again on the next refresh.');
  });

  it('any failure of a request while its kernel was being restarted or replaced is a retry on the new kernel', () => {
    const err = kernelFailure('snapshot', 'TypeError: x is not a function', { restarting: true });
    expect(err).toBeInstanceOf(KernelChangedError);
    expect(err.message).toBe('The "snapshot" request was cut off by a kernel restart. It will be sent to the new kernel.');
    expect(kernelFailure('snapshot', 'TypeError: x is not a function', { restarting: false })).not.toBeInstanceOf(KernelChangedError);
  });

  it('a missing package says how to install it', () => {
    const err = kernelFailure('library load', "Error: Cannot find module 'pairs-lab'\nRequire stack: …");
    expect(err).not.toBeInstanceOf(KernelChangedError);
    expect(err.message).toMatch(/^The kernel cannot find the pairs-lab library\. Run `npm run setup`/);
  });

  it('quotes what the kernel wrote, cut to a readable length', () => {
    const err = kernelFailure('backtest', `RangeError: Invalid array length${' at x'.repeat(200)}`);
    expect(err).toBeInstanceOf(PanelRequestError);
    expect(err.message.startsWith('The kernel failed to run the "backtest" request: RangeError: Invalid array length')).toBe(true);
    expect(err.message.length).toBeLessThan(520);
    expect(err.message).toMatch(/…\. If it keeps happening, restart the kernel from the panel\.$/);
  });

  it('says so when the kernel gave no reason at all, rather than "undefined: undefined"', () => {
    const err = kernelFailure('snapshot', '');
    expect(err.message).toBe('The kernel failed to run the "snapshot" request and gave no reason (nothing on its error output). If it keeps happening, restart the kernel from the panel.');
    expect(err.message).not.toMatch(/undefined/);
  });
});
