/**
 * A real headless browser (Chromium from Debian's packages: chromium-headless-shell, or
 * chromium), for pages quorum writes: the DOM after its scripts ran, every console line
 * (Chromium logs console.error and uncaught exceptions alike as CONSOLE), and a screenshot.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

export const BROWSER = ['/usr/bin/chromium-headless-shell', '/usr/bin/chromium'].find(existsSync);

const FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--enable-logging=stderr',
  '--v=0',
  '--window-size=1280,1600',
];

export function openInBrowser(file: string, screenshot?: string): { dom: string; console: string[] } {
  if (!BROWSER) throw new Error('no Chromium here: apt-get install chromium-headless-shell');
  const run = (extra: string[]) => {
    const r = spawnSync(BROWSER, [...FLAGS, ...extra, `file://${file}`], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    return {
      stdout: r.stdout ?? '',
      console: (r.stderr ?? '').split('\n').filter((l) => l.includes(':CONSOLE')),
    };
  };
  const dump = run(['--dump-dom']);
  if (screenshot) run([`--screenshot=${screenshot}`]);
  return { dom: dump.stdout, console: dump.console };
}
