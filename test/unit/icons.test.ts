import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The console draws icons from SVG paths listed in renderer/src/plugins/icons.ts; an icon named in
 * a template but missing there renders as nothing. Every `mdi-…` name the renderer uses must be listed.
 */
const root = path.resolve('renderer/src');
const files = (dir: string): string[] => fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(path.join(dir, e.name)) : /\.(vue|ts)$/.test(e.name) ? [path.join(dir, e.name)] : []));

describe('console icons', () => {
  it('has an SVG path for every mdi icon the renderer names', () => {
    const listed = new Set([...fs.readFileSync(path.join(root, 'plugins/icons.ts'), 'utf8').matchAll(/^ {2}'(mdi-[a-z0-9-]+)': mdi[A-Za-z0-9]+,$/gm)].map((m) => m[1]!));
    expect(listed.size).toBeGreaterThan(40);
    const used = new Map<string, string>();
    for (const file of files(root).filter((f) => !f.endsWith(path.join('plugins', 'icons.ts')))) {
      for (const m of fs.readFileSync(file, 'utf8').matchAll(/['"` ](mdi-[a-z0-9]+(?:-[a-z0-9]+)*)/g)) used.set(m[1]!, path.relative(root, file));
    }
    expect(used.size).toBeGreaterThan(20);
    const missing = [...used].filter(([name]) => !listed.has(name)).map(([name, file]) => `${name} (${file})`);
    expect(missing).toEqual([]);
  });
});
