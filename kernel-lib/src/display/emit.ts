// Sends display bundles to the notebook through tslab. tslab's public `display` sends one MIME type per
// message; a figure needs its Plotly JSON and a text summary in one bundle, which only tslab's internal
// display writer can send. When that is missing (not in a tslab kernel) the bundle goes to `fallbackSink`.

/** A Jupyter MIME bundle: MIME type → value (strings, or JSON for `+json` types). */
export type MimeBundle = Record<string, unknown>;

/** Where bundles go outside a kernel (tests, plain Node); default: nowhere. */
export type DisplaySink = (bundle: MimeBundle) => void;

interface TslabJupyter {
  lastWriteDisplayData: ((data: { data: MimeBundle; metadata: Record<string, unknown>; transient: Record<string, unknown> }, update: boolean) => void) | null;
}

let fallbackSink: DisplaySink | undefined;

/** Routes displays made outside a tslab kernel to `sink` (e.g. to collect them in a test); `undefined` drops them. */
export function setDisplaySink(sink: DisplaySink | undefined): void {
  fallbackSink = sink;
}

/**
 * The display writer of the tslab kernel running this process. It is looked up among loaded modules rather than
 * required, so a copy of tslab installed next to this package (a different module instance) is never used.
 */
function tslabWriter(): TslabJupyter['lastWriteDisplayData'] {
  for (const [file, mod] of Object.entries(require.cache)) {
    if (!/[\\/]tslab[\\/]dist[\\/]jupyter\.js$/.test(file)) continue;
    const writer = (mod?.exports as TslabJupyter | undefined)?.lastWriteDisplayData;
    if (typeof writer === 'function') return writer;
  }
  return null;
}

/** True when running inside a tslab kernel execution (displays reach the notebook). */
export function inKernel(): boolean {
  return tslabWriter() !== null && fallbackSink === undefined;
}

/** Displays one bundle (all MIME types in one `display_data` message). */
export function displayBundle(bundle: MimeBundle): void {
  if (fallbackSink) {
    fallbackSink(bundle);
    return;
  }
  const write = tslabWriter();
  if (write) write({ data: bundle, metadata: {}, transient: {} }, false);
}
