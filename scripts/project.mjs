// Paths and the environment every Pairs Lab script shares. Node built-ins only: this runs before npm install.
import { fileURLToPath } from 'node:url';
import path from 'node:path';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const venvDir = path.join(root, '.venv');
export const venvBin = path.join(venvDir, 'bin');
export const jupyterDir = path.join(root, '.jupyter');
export const jupyterPath = path.join(jupyterDir, 'share');
export const notebooksDir = path.join(root, 'notebooks');

/** The environment for Jupyter processes: everything project-local, nothing in $HOME or the system. */
export function jupyterEnv(base = process.env) {
  return {
    ...base,
    PATH: `${venvBin}${path.delimiter}${path.join(root, 'node_modules', '.bin')}${path.delimiter}${base.PATH ?? ''}`,
    VIRTUAL_ENV: venvDir,
    JUPYTER_PATH: jupyterPath,
    JUPYTER_CONFIG_DIR: path.join(jupyterDir, 'config'),
    JUPYTER_DATA_DIR: path.join(jupyterDir, 'data'),
    JUPYTER_RUNTIME_DIR: path.join(jupyterDir, 'runtime'),
    JUPYTERLAB_SETTINGS_DIR: path.join(jupyterDir, 'lab', 'user-settings'),
    JUPYTERLAB_WORKSPACES_DIR: path.join(jupyterDir, 'lab', 'workspaces'),
    PAIRS_LAB_ROOT: root,
  };
}
