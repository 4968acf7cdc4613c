/**
 * community.general.filesystem held to the collection's own module (Debian 13's ansible 12.0.0
 * under ansible-core 2.19) side by side, on image files of each side's own (the module takes a
 * regular file as a device; no block device of this machine is touched): made, left alone,
 * refused as another type, forced, swap, grown to a larger file, a UUID and mkfs options given,
 * wiped, a device that is not there, and a type whose mkfs this machine lacks. The same statuses,
 * registered fields and filesystems (blkid's TYPE, UUID, LABEL); a check run plans nothing.
 */
import { execFileSync } from 'node:child_process';
import { truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { quorum } from '../helpers/cli.ts';
import { workspace } from '../helpers/run-local.ts';
import {
  checkPlansNothing,
  resultsTask,
  sameResults,
  sameStatuses,
  sideBySide,
  tableTasks,
} from '../helpers/side-by-side.ts';

const UUID = '0f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9';
const MiB = 1024 * 1024;

const TASKS = (d: string): Array<[string, string, boolean?]> => [
  ['made', `dev: ${d}/one.img, fstype: ext4`],
  ['again', `dev: ${d}/one.img, fstype: ext4`],
  ['another type, not forced', `dev: ${d}/one.img, fstype: ext2`, true],
  ['another type, forced', `dev: ${d}/one.img, type: ext2, force: true`],
  ['swap', `device: ${d}/two.img, fstype: swap`],
  ['swap again', `dev: ${d}/two.img, fstype: swap`],
  ['grown to its file', `dev: ${d}/grow.img, fstype: ext4, resizefs: true`],
  ['grown already', `dev: ${d}/grow.img, fstype: ext4, resizefs: true`],
  ['a UUID and options', `dev: ${d}/three.img, fstype: ext4, uuid: ${UUID}, opts: "-L data -m 0"`],
  ['wiped', `dev: ${d}/two.img, state: absent`],
  ['wiped again', `dev: ${d}/two.img, state: absent`],
  ['no such device', `dev: ${d}/none.img, fstype: ext4`, true],
  ['no such device, absent', `dev: ${d}/none.img, state: absent`],
  ['a mkfs this machine lacks', `dev: ${d}/four.img, fstype: xfs`, true],
  ['no fstype', `dev: ${d}/four.img`, true],
];

const play = (d: string, tasks = TASKS(d)) => `
- hosts: all
  gather_facts: false
  environment:
    PATH: "/usr/local/bin:/usr/bin:/bin"
  tasks:
${tableTasks('community.general.filesystem', tasks)}
${resultsTask(`${d}/results.json`, tasks.length, ['invocation'])}
`;

function setUp(d: string): string {
  for (const f of ['one', 'two', 'three', 'four', 'grow']) {
    writeFileSync(join(d, `${f}.img`), '');
    truncateSync(join(d, `${f}.img`), 8 * MiB);
  }
  execFileSync('mkfs.ext4', ['-q', '-F', join(d, 'grow.img')]);
  truncateSync(join(d, 'grow.img'), 16 * MiB);
  return play(d);
}

/** blkid's view of an image: TYPE, UUID and LABEL. */
const blkid = (file: string) => {
  try {
    return execFileSync('blkid', ['-c', '/dev/null', '-o', 'export', file], { encoding: 'utf8' })
      .split('\n')
      .filter((l) => /^(TYPE|LABEL)=/.test(l) || (l.startsWith('UUID=') && file.includes('three')));
  } catch {
    return ['nothing'];
  }
};

describe('community.general.filesystem, as the collection (ansible-core 2.19)', () => {
  it('makes, keeps, grows and wipes filesystems as the module does', async () => {
    const sides = await sideBySide(setUp);
    const { dir, out } = sides;
    expect(sameStatuses(sides)).toMatchObject({
      made: 'changed',
      again: 'ok',
      'another type, not forced': 'failed',
      'swap again': 'ok',
      'grown to its file': 'changed',
      'grown already': 'ok',
      'wiped again': 'ok',
      'a mkfs this machine lacks': 'failed',
    });
    const results = sameResults(out);
    expect(results[2].msg).toBe("'DIR/one.img' is already used as ext4, use force=true to overwrite");
    expect(results[7].msg).toBe('Ext4 filesystem is using the whole device DIR/grow.img');
    expect(String(results[13].msg)).toMatch(/^Failed to find required executable "mkfs.xfs" in paths: /);
    for (const f of ['one', 'two', 'three', 'grow']) {
      const [mine, theirs] = [out.quorum, out.ansible].map((d) => blkid(join(d, `${f}.img`)));
      expect(mine, f).toEqual(theirs);
    }
    expect(blkid(join(out.quorum, 'three.img'))).toEqual(['LABEL=data', `UUID=${UUID}`, 'TYPE=ext4']);
    // what the last tasks left: a forced mkfs and a given UUID are made again at every run, as
    // the module makes them; one.img is ext2 now and two.img wiped
    const kept = ['grown to its file', 'grown already', 'wiped', 'wiped again', 'no such device, absent'];
    await checkPlansNothing(
      dir,
      play(
        out.quorum,
        TASKS(out.quorum).filter(([n]) => kept.includes(n)),
      ),
    );
  }, 120_000);

  it('refuses before any host what it does not make: btrfs, a resize it cannot do', () => {
    const d = workspace();
    writeFileSync(join(d, 'hosts.ini'), 'h1 ansible_connection=local\n');
    for (const [args, words] of [
      ['dev: /x, fstype: btrfs', 'fstype btrfs'],
      ['dev: /x, fstype: xfs, resizefs: true', 'resizefs on xfs'],
      ['dev: /x, fstype: swap, uuid: abc', 'uuid on swap'],
    ]) {
      writeFileSync(
        join(d, 'p.yml'),
        `- hosts: all\n  gather_facts: false\n  tasks:\n    - community.general.filesystem: { ${args} }\n`,
      );
      const r = quorum(['validate', 'p.yml', '-i', 'hosts.ini'], { cwd: d });
      expect(r.code, args).not.toBe(0);
      expect(r.stderr, args).toContain(words);
      expect(r.stderr, args).toMatch(/p\.yml:4:\d+/);
    }
  });
});
