import { clock } from './clock';
import { ILayoutRestorer, type JupyterFrontEnd, type JupyterFrontEndPlugin } from '@jupyterlab/application';
import { ICommandPalette, IThemeManager, MainAreaWidget, WidgetTracker, showErrorMessage } from '@jupyterlab/apputils';
import { IDocumentManager } from '@jupyterlab/docmanager';
import { IDefaultFileBrowser } from '@jupyterlab/filebrowser';
import { ILauncher } from '@jupyterlab/launcher';
import { ISettingRegistry } from '@jupyterlab/settingregistry';
import { IStateDB } from '@jupyterlab/statedb';
import { pairsLabIcon } from './icon';
import { PairsLabPanel } from './panel';
import { PairsLabSidebar } from './sidebar';
import { copyTemplate, fetchTemplates, type ITemplate } from './templates';
import { CommandIDs, DEFAULT_SETTINGS, KERNEL_SPEC, PLUGIN_ID, type IPairsLabSettings } from './tokens';

const OPENED_KEY = `${PLUGIN_ID}:opened-once`;

/** The panel, its commands, the launcher and palette entries, the left-sidebar entry and layout restore. */
const plugin: JupyterFrontEndPlugin<void> = {
  id: PLUGIN_ID,
  description: 'Pairs Lab: a live pairs-trading panel on a Pairs Lab kernel, and example notebooks as templates.',
  autoStart: true,
  requires: [IDocumentManager],
  optional: [ISettingRegistry, ICommandPalette, ILauncher, ILayoutRestorer, IDefaultFileBrowser, IThemeManager, IStateDB],
  activate: (
    app: JupyterFrontEnd,
    docManager: IDocumentManager,
    settingRegistry: ISettingRegistry | null,
    palette: ICommandPalette | null,
    launcher: ILauncher | null,
    restorer: ILayoutRestorer | null,
    fileBrowser: IDefaultFileBrowser | null,
    themeManager: IThemeManager | null,
    state: IStateDB | null,
  ) => {
    const { commands, shell, serviceManager } = app;
    const tracker = new WidgetTracker<MainAreaWidget<PairsLabPanel>>({ namespace: 'pairs-lab' });
    let settings: IPairsLabSettings = { ...DEFAULT_SETTINGS };
    let templates: ITemplate[] = [];
    const currentFolder = () => fileBrowser?.model.path ?? '';

    const openNotebook = async (kernelId: string, kernelName: string) => {
      const model = await docManager.newUntitled({ path: currentFolder(), type: 'notebook' });
      const widget = docManager.open(model.path, 'Notebook', { id: kernelId, name: kernelName });
      if (!widget) throw new Error('JupyterLab could not open the new notebook. Pick a folder you can write to in the file browser.');
    };

    const loadSettings = settingRegistry
      ? settingRegistry.load(PLUGIN_ID).then((loaded) => {
        const apply = () => {
          settings = { ...DEFAULT_SETTINGS, ...(loaded.composite as unknown as Partial<IPairsLabSettings>) };
          clock.setZone(settings.timeZone === 'local' ? 'local' : 'utc');
          tracker.forEach((w) => w.content.applySettings(settings));
        };
        apply();
        loaded.changed.connect(apply);
      }).catch((err: unknown) => {
        console.warn('Pairs Lab: settings could not be loaded; using the defaults.', err);
      })
      : Promise.resolve();

    commands.addCommand(CommandIDs.open, {
      label: 'Pairs Lab Panel',
      caption: 'Open the live Pairs Lab panel (starts a Pairs Lab kernel)',
      icon: (args) => (args.isPalette ? undefined : pairsLabIcon),
      execute: async () => {
        await loadSettings;
        const existing = tracker.currentWidget;
        if (existing && !existing.isDisposed) {
          shell.activateById(existing.id);
          return existing;
        }
        const panel = new PairsLabPanel({ serviceManager, settings, openNotebook });
        const widget = new MainAreaWidget({ content: panel });
        widget.id = 'pairs-lab-main';
        widget.title.label = 'Pairs Lab';
        widget.title.icon = pairsLabIcon;
        widget.title.closable = true;
        await tracker.add(widget);
        shell.add(widget, 'main');
        shell.activateById(widget.id);
        void panel.start();
        void state?.save(OPENED_KEY, true);
        return widget;
      },
    });

    commands.addCommand(CommandIDs.restartKernel, {
      label: 'Restart the Pairs Lab Panel Kernel',
      isEnabled: () => tracker.currentWidget !== null,
      execute: () => tracker.currentWidget?.content.restartKernel(),
    });

    commands.addCommand(CommandIDs.refresh, {
      label: 'Refresh the Pairs Lab Panel',
      isEnabled: () => tracker.currentWidget !== null,
      execute: () => tracker.currentWidget?.content.refresh(),
    });

    commands.addCommand(CommandIDs.openNotebook, {
      label: 'Open a Notebook on the Pairs Lab Panel Kernel',
      isEnabled: () => tracker.currentWidget?.content.kernel.kernel !== null && tracker.currentWidget !== null,
      execute: async () => {
        const kernel = tracker.currentWidget?.content.kernel.kernel;
        if (kernel) await openNotebook(kernel.id, kernel.name);
      },
    });

    commands.addCommand(CommandIDs.openTemplate, {
      label: (args) => templates.find((t) => t.file === args.file)?.title ?? 'Pairs Lab example notebook',
      caption: (args) => templates.find((t) => t.file === args.file)?.summary ?? '',
      icon: (args) => (args.isPalette ? undefined : pairsLabIcon),
      execute: async (args) => {
        const template = templates.find((t) => t.file === args.file);
        if (!template) return;
        try {
          const path = await copyTemplate(serviceManager.contents, template, typeof args.folder === 'string' ? args.folder : currentFolder());
          return docManager.open(path, 'Notebook', { name: KERNEL_SPEC });
        } catch (err) {
          await showErrorMessage('Pairs Lab', err instanceof Error ? err.message : String(err));
        }
      },
    });

    palette?.addItem({ command: CommandIDs.open, category: 'Pairs Lab' });
    palette?.addItem({ command: CommandIDs.restartKernel, category: 'Pairs Lab' });
    palette?.addItem({ command: CommandIDs.refresh, category: 'Pairs Lab' });
    palette?.addItem({ command: CommandIDs.openNotebook, category: 'Pairs Lab' });
    launcher?.add({ command: CommandIDs.open, category: 'Pairs Lab', rank: 0 });

    const sidebar = new PairsLabSidebar(commands);
    sidebar.title.icon = pairsLabIcon;
    shell.add(sidebar, 'left', { rank: 850 });

    void fetchTemplates().then((found) => {
      templates = found;
      sidebar.setTemplates(found);
      found.forEach((t, rank) => launcher?.add({ command: CommandIDs.openTemplate, args: { file: t.file }, category: 'Pairs Lab', rank: rank + 1 }));
    }).catch(() => sidebar.setTemplates([]));

    themeManager?.themeChanged.connect(() => {
      // The theme's CSS variables apply a frame after the signal.
      requestAnimationFrame(() => tracker.forEach((w) => w.content.redraw()));
    });

    if (restorer) void restorer.restore(tracker, { command: CommandIDs.open, name: () => 'pairs-lab' });


    void Promise.all([app.restored, loadSettings]).then(async () => {
      if (!settings.openOnStart || tracker.size > 0) return;
      const opened = state ? await state.fetch(OPENED_KEY).catch(() => undefined) : undefined;
      if (!opened) await commands.execute(CommandIDs.open);
    });
  },
};

export default plugin;
