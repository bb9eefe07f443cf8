import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { electronBinary } from './electron-binary.mjs';

/**
 * `npm start` (and the end of `npm run demo`): the desktop console where Electron is installed;
 * elsewhere (an offline install, a headless machine) one plain sentence, then the same console
 * served to a browser from the embedded database. `--db FILE` picks the database.
 */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const i = process.argv.indexOf('--db');
const db = i >= 0 ? path.resolve(process.argv[i + 1]) : process.env.ESCROW_DB;
const env = { ...process.env, ...(db ? { ESCROW_DB: db } : {}) };

function run(command, args, extraEnv = {}) {
  const child = spawn(command, args, { cwd: root, stdio: 'inherit', env: { ...env, ...extraEnv }, shell: process.platform === 'win32' });
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => process.exit(signal ? 0 : code ?? 0));
}

const binary = electronBinary();
if (binary) {
  run('npx', ['electron-vite', 'preview'], { ELECTRON_EXEC_PATH: binary });
} else {
  console.log('start: the Electron binary is not installed on this machine, so the console opens in your browser instead.');
  run(process.execPath, ['--import', 'tsx', 'server/cli/serve.ts']);
}
