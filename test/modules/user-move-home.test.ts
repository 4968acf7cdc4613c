// ci: changes this machine (its own state, which the lab hosts' root overlays show): never beside the lab
/**
 * user's move_home (debops' users role), held to ansible-core 2.19's user module on this
 * machine, each side with a user of its own: a new home with move_home moves the files there
 * (usermod -d -m); without it the files stay and the new home is made as the module makes a
 * missing one (quorum made none: a silent difference); the second run changes nothing.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { writeFiles } from '../helpers/run-local.ts';
import { sameStatuses, sideBySide } from '../helpers/side-by-side.ts';

const made: string[] = [];
const userOf = (out: string, n: number) =>
  `qm${n}${createHash('sha1').update(out).digest('hex').slice(0, 9)}`;

const play = (out: string) => {
  const [moved, renamed, skel] = [userOf(out, 1), userOf(out, 2), userOf(out, 3)];
  made.push(moved, renamed, skel);
  const user = (name: string, u: string, home: string, extra = '') =>
    `    - name: ${name}\n      user: { name: ${u}, home: "${out}/${home}"${extra} }`;
  return `- hosts: all
  gather_facts: false
  tasks:
${user('made', moved, 'h1')}
${user('made too', renamed, 'r1')}
    - copy: { dest: "${out}/h1/mark", content: x }
    - copy: { dest: "${out}/r1/mark", content: x }
${user('moved', moved, 'h2', ', move_home: true')}
${user('moved again, nothing to do', moved, 'h2', ', move_home: true')}
${user('renamed only', renamed, 'r2')}
${user('renamed, nothing to do', renamed, 'r2')}
${user('made from a skeleton', skel, 's1', `, skeleton: "${out}/skel"`)}
`;
};

afterAll(() => {
  for (const u of made) execFileSync('sh', ['-c', `userdel -f ${u} 2>/dev/null || true`]);
});

it('moves the home where move_home asks, as ansible-core 2.19 does', async () => {
  const skeleton = (dir: string) => {
    for (const d of ['q', 'a']) writeFiles(join(dir, d), { 'skel/.marker': 'from the skeleton\n' });
  };
  const side = await sideBySide(play, {}, undefined, true, skeleton);
  expect(sameStatuses(side)).toMatchObject({
    moved: 'changed',
    'moved again, nothing to do': 'ok',
    'renamed only': 'changed',
    'renamed, nothing to do': 'ok',
    'made from a skeleton': 'changed',
  });
  for (const out of Object.values(side.out)) {
    expect(existsSync(join(out, 'h2/mark')), out).toBe(true);
    expect(existsSync(join(out, 's1/.marker')), out).toBe(true);
    expect(existsSync(join(out, 'h1'))).toBe(false);
    // without move_home the files stay where they were, and the new home is made as the module
    // makes a missing one: /etc/skel copied, its mode from login.defs (Debian's UMASK 022)
    expect(existsSync(join(out, 'r1/mark'))).toBe(true);
    expect(existsSync(join(out, 'r2/mark'))).toBe(false);
    expect(statSync(join(out, 'r2')).mode & 0o7777).toBe(0o755);
  }
}, 120_000);
