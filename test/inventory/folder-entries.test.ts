/**
 * Which files of an inventory folder are read, as ansible-core 2.19 reads them: its default
 * ignore list (no longer `.ini`, which 2.14 skipped), and ansible.cfg's inventory_ignore_extensions
 * and [inventory] ignore_patterns (kubespray sets both).
 */
import { symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadInventory } from '../../src/inventory/load.ts';
import { ansibleCurrent } from '../helpers/ansible-oracle.ts';
import { quorum } from '../helpers/cli.ts';
import { workspace, writeFiles } from '../helpers/run-local.ts';

/** Each group's hosts, from an `--list` output (meta and ordering aside). */
function groups(stdout: string): Record<string, string[]> {
  const list = JSON.parse(stdout) as Record<string, { hosts?: string[] }>;
  return Object.fromEntries(
    Object.entries(list)
      .filter(([g, v]) => g !== '_meta' && v.hosts)
      .map(([g, v]) => [g, [...(v.hosts ?? [])].sort()]),
  );
}

const FOLDER = {
  'inv/hosts.ini': '[web]\nw1\n',
  'inv/b.yml': 'all:\n  hosts:\n    y1:\n',
  'inv/notes.md': '[md]\nm1\n',
  'inv/old.bak': '[bak]\nb1\n',
  'inv/credentials-db': '[secret]\ns1\n',
  'inv/extra.cfg': '[cfg]\nc1\n',
};

describe('an inventory folder', () => {
  it.each([
    ['the defaults', undefined],
    [
      "kubespray's ignore settings",
      '[defaults]\ninventory_ignore_extensions = ~, .orig, .bak, .ini, .cfg, .retry, .pyc, .pyo, .creds, .gpg\n[inventory]\nignore_patterns = artifacts, credentials\n',
    ],
  ])('reads the files ansible-inventory 2.19 reads, with %s', async (_what, cfg) => {
    const dir = workspace();
    writeFiles(dir, { ...FOLDER, ...(cfg ? { 'ansible.cfg': cfg } : {}) });
    const theirs = await ansibleCurrent('ansible-inventory', ['-i', 'inv', '--list'], dir);
    const ours = quorum(['inventory', '-i', 'inv', '--list'], { cwd: dir });
    expect(theirs.code, theirs.stderr).toBe(0);
    expect(ours.code, ours.stderr).toBe(0);
    expect(groups(ours.stdout)).toEqual(groups(theirs.stdout));
    // kubespray's list replaces the default one: .md files are read again
    if (cfg) expect(groups(ours.stdout)).toEqual({ ungrouped: ['y1'], md: ['m1'] });
    else expect(groups(ours.stdout)).toMatchObject({ web: ['w1'], secret: ['s1'] });
  });
});

describe('inventory_file and inventory_dir', () => {
  it('name the file a host was first read from (links kept, `..` resolved), a host list as given', () => {
    const dir = workspace();
    writeFiles(dir, { 'inv/a.ini': '[web]\nw1\n', 'inv/b.yml': 'all:\n  hosts:\n    w1:\n    y1:\n' });
    symlinkSync(join(dir, 'inv'), join(dir, 'link'));
    const loaded = loadInventory([join(dir, 'link/../link'), 'h3,']);
    const seen = (h: string) => {
      const v = loaded.data.hosts.get(h)!.vars;
      return [v.inventory_file, v.inventory_dir];
    };
    expect(seen('w1')).toEqual([join(dir, 'link/a.ini'), join(dir, 'link')]);
    expect(seen('y1')).toEqual([join(dir, 'link/b.yml'), join(dir, 'link')]);
    // ansible-core's basedir() of a text that is no path: None, printed 'None'
    expect(seen('h3')).toEqual(['h3,', 'None']);
  });
});
