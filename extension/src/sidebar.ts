import { Widget } from '@lumino/widgets';
import type { CommandRegistry } from '@lumino/commands';
import { CommandIDs } from './tokens';
import type { ITemplate } from './templates';
import { el } from './views/dom';

/** The left-sidebar entry: opens the panel and lists the example notebooks. */
export class PairsLabSidebar extends Widget {
  constructor(private readonly commands: CommandRegistry) {
    super();
    this.id = 'pairs-lab-sidebar';
    this.addClass('pl-SidebarEntry');
    this.title.caption = 'Pairs Lab';
    this._list = el('ul', { class: 'pl-TemplateList' });
    const open = el('button', { class: 'jp-Button jp-mod-styled jp-mod-accept pl-Button', 'data-action': 'open-panel', type: 'button' }, 'Open the Pairs Lab panel');
    open.addEventListener('click', () => void commands.execute(CommandIDs.open));
    this.node.append(
      el('h3', {}, 'Pairs Lab'),
      el('p', {}, 'Live pair analytics on a Pairs Lab kernel: prices, spread and z-score, correlation, backtests, alerts and feed health.'),
      open,
      el('h4', {}, 'Example notebooks'),
      el('p', { class: 'pl-Hint' }, 'A copy is made in the current folder (never overwriting a file) and opened on the Pairs Lab kernel.'),
      this._list,
    );
  }

  setTemplates(templates: ITemplate[]): void {
    this._list.replaceChildren(...templates.map((t) => {
      const item = el('li', { class: 'pl-TemplateItem', title: t.summary, 'data-template': t.file }, el('strong', {}, t.title), el('div', { class: 'pl-Hint' }, t.summary));
      item.tabIndex = 0;
      const open = () => void this.commands.execute(CommandIDs.openTemplate, { file: t.file });
      item.addEventListener('click', open);
      item.addEventListener('keydown', (e) => { if (e.key === 'Enter') open(); });
      return item;
    }));
    if (templates.length === 0) this._list.append(el('li', { class: 'pl-Hint' }, 'No example notebooks are installed.'));
  }

  private _list: HTMLUListElement;
}
