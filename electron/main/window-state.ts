import fs from 'node:fs';

/** The window's size and place, kept between runs in the user's data folder. */
export type WindowState = { x?: number; y?: number; width: number; height: number; maximized: boolean };

export const DEFAULT_STATE: WindowState = { width: 1440, height: 900, maximized: false };

/** Reads the saved state; anything unreadable or implausible falls back to the default. */
export function loadWindowState(file: string): WindowState {
  try {
    const saved = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<WindowState>;
    const whole = (v: unknown, min: number) => typeof v === 'number' && Number.isInteger(v) && v >= min && v <= 20_000;
    if (!whole(saved.width, 400) || !whole(saved.height, 300)) return DEFAULT_STATE;
    return {
      width: saved.width!, height: saved.height!, maximized: saved.maximized === true,
      ...(whole(saved.x, -20_000) && whole(saved.y, -20_000) ? { x: saved.x!, y: saved.y! } : {}),
    };
  } catch {
    return DEFAULT_STATE;
  }
}

export function saveWindowState(file: string, state: WindowState): void {
  try {
    fs.writeFileSync(file, JSON.stringify(state));
  } catch (error) {
    // Losing the window's position is no reason to stop closing the app.
    console.error('window state:', (error as Error).message);
  }
}

/**
 * The team server the console connects to instead of its own database, if one was chosen:
 * ESCROW_SERVER_URL, or `serverUrl` in console-settings.json in the user's data folder.
 */
export function chosenServerUrl(settingsFile: string, env: string | undefined): string | null {
  let value = env ?? null;
  if (!value) {
    try {
      value = (JSON.parse(fs.readFileSync(settingsFile, 'utf8')) as { serverUrl?: string }).serverUrl ?? null;
    } catch {
      value = null;
    }
  }
  if (!value) return null;
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || (url.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname)) ? url.origin : null;
  } catch {
    return null;
  }
}
