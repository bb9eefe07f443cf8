import { spawn } from 'node:child_process';
import { electronBinary } from './electron-binary.mjs';

/**
 * `npm run desktop`: the built app in Electron (electron-vite preview builds, then starts it).
 * Where the Electron binary could not be installed, say so and point at the browser console
 * instead of letting electron-vite fail with "Electron uninstall".
 */
const binary = electronBinary();
if (!binary) {
  console.error('The Electron binary is not installed on this machine (it cannot be downloaded here); run `npm run serve` and open the console in a browser instead');
  process.exit(1);
}
const child = spawn('npx', ['electron-vite', 'preview', ...process.argv.slice(2)], {
  stdio: 'inherit',
  env: { ...process.env, ELECTRON_EXEC_PATH: binary },
  shell: process.platform === 'win32',
});
child.on('exit', (code, signal) => process.exit(signal ? 1 : code ?? 0));
