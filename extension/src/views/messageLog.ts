import { clock } from '../clock';
import type { ILoggedMessage } from '../model';
import { el } from './dom';

/**
 * Fills `node` (a `<details>`) with the sidebar's recent messages, newest first. Each entry keeps its `data-seq` and
 * `data-level`, so a message that a later one replaced can still be read (and waited for by a test).
 */
export function renderMessageLog(node: HTMLDetailsElement, log: readonly ILoggedMessage[]): void {
  node.hidden = log.length === 0;
  node.dataset.lastSeq = String(log[log.length - 1]?.seq ?? 0);
  node.replaceChildren(
    el('summary', {}, `Recent messages (${log.length})`),
    el('ol', { class: 'pl-MessageLog-list' }, ...log.slice().reverse().map((m) => {
      const at = new Date(m.time).toISOString();
      return el('li', { class: `pl-mod-${m.level}`, 'data-seq': String(m.seq), 'data-level': m.level },
        el('time', { dateTime: at }, `${clock.time(m.time)} ${clock.label}`), ' ', el('span', { class: 'pl-MessageLog-text' }, m.text));
    })),
  );
}
