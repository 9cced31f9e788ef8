import { PanelRequestError } from './kernel';
import type { PairsLabModel } from './model';
import type { IUserMessage } from './tokens';

/** The text of an error or of anything thrown. */
export function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Shows `message` in the sidebar (or clears it); the same text again changes nothing. */
export function setPanelMessage(model: PairsLabModel, message: IUserMessage | null): void {
  if (model.message('panel')?.text === message?.text) return;
  model.setMessage('panel', message);
}

/** Shows `err` in the sidebar as `<what>: <reason> (field: …)`; returns the text shown. */
export function showError(model: PairsLabModel, err: unknown, what: string): string {
  const field = err instanceof PanelRequestError && err.field ? ` (field: ${err.field})` : '';
  const text = `${what}: ${messageOf(err)}${field}`;
  setPanelMessage(model, { level: 'error', text });
  return text;
}
