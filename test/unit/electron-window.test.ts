import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { chosenServerUrl, DEFAULT_STATE, loadWindowState, saveWindowState } from '../../electron/main/window-state.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'escrow-window-'));

describe('the desktop window between runs', () => {
  it('remembers size, place and maximised state', () => {
    const file = path.join(dir, 'state.json');
    saveWindowState(file, { x: 40, y: 60, width: 1200, height: 800, maximized: true });
    expect(loadWindowState(file)).toEqual({ x: 40, y: 60, width: 1200, height: 800, maximized: true });
  });

  it('falls back to the default for a missing, broken or implausible file', () => {
    expect(loadWindowState(path.join(dir, 'none.json'))).toEqual(DEFAULT_STATE);
    fs.writeFileSync(path.join(dir, 'broken.json'), '{');
    expect(loadWindowState(path.join(dir, 'broken.json'))).toEqual(DEFAULT_STATE);
    fs.writeFileSync(path.join(dir, 'tiny.json'), JSON.stringify({ width: 10, height: 10 }));
    expect(loadWindowState(path.join(dir, 'tiny.json'))).toEqual(DEFAULT_STATE);
  });

  it('connects to a team server only over https, or plain http on this machine', () => {
    const settings = path.join(dir, 'settings.json');
    fs.writeFileSync(settings, JSON.stringify({ serverUrl: 'https://escrow.example.com/console' }));
    expect(chosenServerUrl(settings, undefined)).toBe('https://escrow.example.com');
    expect(chosenServerUrl(settings, 'http://127.0.0.1:4300')).toBe('http://127.0.0.1:4300');
    expect(chosenServerUrl(settings, 'http://escrow.example.com')).toBeNull();
    expect(chosenServerUrl(path.join(dir, 'none.json'), undefined)).toBeNull();
  });
});
