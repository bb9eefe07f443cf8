import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

/**
 * The Electron executable, or null when it is not installed. `require('electron')` would answer
 * the same question but tries to download the binary first, which hangs or fails where the
 * download is blocked; this reads the same files (and ELECTRON_EXEC_PATH, as electron-vite does)
 * without touching the network.
 */
export function electronBinary() {
  const exec = process.env.ELECTRON_EXEC_PATH;
  if (exec) return fs.existsSync(exec) ? exec : null;
  let dir;
  try {
    dir = path.dirname(createRequire(import.meta.url).resolve('electron/package.json'));
  } catch {
    return null;
  }
  const pathFile = path.join(dir, 'path.txt');
  if (!fs.existsSync(pathFile)) return null;
  const relative = fs.readFileSync(pathFile, 'utf8').trim();
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
  const file = override ? path.join(override, relative) : path.join(dir, 'dist', relative);
  return fs.existsSync(file) ? file : null;
}
