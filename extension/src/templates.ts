import { PageConfig, URLExt } from '@jupyterlab/coreutils';
import type { Contents } from '@jupyterlab/services';
import { EXTENSION_ID, KERNEL_SPEC } from './tokens';

/** One example notebook offered as a launcher card (written by extension/scripts/install.mjs). */
export interface ITemplate {
  file: string;
  title: string;
  summary: string;
}

function templatesUrl(file: string): string {
  return URLExt.join(PageConfig.getOption('fullLabextensionsUrl'), EXTENSION_ID, 'static', 'templates', file);
}

/** The example notebooks installed with the extension; empty when there are none. */
export async function fetchTemplates(): Promise<ITemplate[]> {
  const response = await fetch(templatesUrl('index.json'), { cache: 'no-cache' });
  if (!response.ok) return [];
  const body = (await response.json()) as { templates?: ITemplate[] };
  return body.templates ?? [];
}

/**
 * Copies a template into `folder` under a name no file has yet (`name.ipynb`, `name-1.ipynb`, …), set to the
 * Pairs Lab kernel. Returns the new path; never overwrites.
 */
export async function copyTemplate(contents: Contents.IManager, template: ITemplate, folder: string): Promise<string> {
  const response = await fetch(templatesUrl(template.file), { cache: 'no-cache' });
  if (!response.ok) throw new Error(`The example notebook ${template.file} could not be read (HTTP ${response.status}). Run \`npm run setup\` and reload the page.`);
  const notebook = (await response.json()) as { metadata?: Record<string, unknown> };
  notebook.metadata = {
    ...(notebook.metadata ?? {}),
    kernelspec: { name: KERNEL_SPEC, display_name: 'Pairs Lab (TypeScript)', language: 'typescript' },
  };
  const stem = template.file.replace(/\.ipynb$/, '');
  for (let n = 0; n < 1000; n++) {
    const path = URLExt.join(folder, `${stem}${n === 0 ? '' : `-${n}`}.ipynb`).replace(/^\//, '');
    if (await exists(contents, path)) continue;
    await contents.save(path, { type: 'notebook', format: 'json', content: notebook });
    return path;
  }
  throw new Error(`There are already 1000 copies of ${template.file} in this folder; delete some first.`);
}

async function exists(contents: Contents.IManager, path: string): Promise<boolean> {
  try {
    await contents.get(path, { content: false });
    return true;
  } catch {
    return false;
  }
}
