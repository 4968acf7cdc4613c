/**
 * group's `local` (debops' users role: `local: true` for each user's group), held to
 * ansible-core 2.19's group module on this machine, which has no libuser: the module asks for
 * lgroupadd/lgroupmod before it knows whether anything changes, so a local group fails, made or
 * already there (root), in its words; `local: false` is the group module as before. Nothing is
 * changed on this machine.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { groupModule, userModule } from '../../src/modules/accounts.ts';
import { fakeProbe } from '../helpers/fake-probe.ts';
import { sameStatuses, sideBySide } from '../helpers/side-by-side.ts';

it('fails a local group where libuser is missing, as ansible-core 2.19, and runs local: false as before', async () => {
  const play = (out: string) => `- hosts: all
  gather_facts: false
  tasks:
    - name: a new local group
      group: { name: qlocalnotmade, local: true }
      register: added
      ignore_errors: true
    - name: root, local
      group: { name: root, local: true }
      register: modded
      ignore_errors: true
    - name: root, not local
      group: { name: root, local: false }
    - copy: { dest: "${out}/results.json", content: "{{ [added.msg, modded.msg] | to_json }}" }
`;
  const side = await sideBySide(play);
  expect(sameStatuses(side)).toMatchObject({
    'a new local group': 'failed',
    'root, local': 'failed',
    'root, not local': 'ok',
  });
  const read = (d: string) => JSON.parse(readFileSync(join(d, 'results.json'), 'utf8')) as string[];
  for (const [i, cmd] of ['lgroupadd', 'lgroupmod'].entries()) {
    expect(read(side.out.ansible)[i]).toMatch(
      new RegExp(`^Failed to find required executable "${cmd}" in paths: `),
    );
    expect(read(side.out.quorum)[i]).toMatch(new RegExp(`^Failed to find required executable "${cmd}" in `));
  }
}, 60_000);

it('uses libuser where the host has it: lgroupadd to make, lgroupmod to change, read from /etc/group', async () => {
  const plan = async (params: Record<string, unknown>, line: string) => {
    const ctx = fakeProbe([[/\/etc\/group/, `${line}\nhas:lgroupadd\nhas:lgroupmod\nhas:lgroupdel\n`]]);
    const out = await groupModule.plan(ctx, params as never);
    return { probes: ctx.seen, commands: out.changes.map((c) => (c.action as { command: string }).command) };
  };
  const made = await plan({ name: 'web', gid: 1234, system: true, local: true }, '');
  expect(made.probes[0]).toContain("grep -- '^web:' /etc/group");
  expect(made.commands).toEqual(['lgroupadd -g 1234 -r web']);
  expect((await plan({ name: 'web', gid: 99, local: true }, 'web:x:1234:')).commands).toEqual([
    'lgroupmod -g 99 web',
  ]);
  expect((await plan({ name: 'web', gid: 1234, local: true }, 'web:x:1234:')).commands).toEqual([]);
  expect((await plan({ name: 'web', state: 'absent', local: true }, 'web:x:1234:')).commands).toEqual([
    'lgroupdel web',
  ]);
});

it("user's non_unique gives useradd and usermod -o with the uid, as the module", async () => {
  const plan = async (params: Record<string, unknown>, passwd: string) => {
    const ctx = fakeProbe([[/getent passwd/, passwd ? `${passwd}\nweb\n\n\nhome:yes\n` : '']]);
    const out = await userModule.plan(ctx, params as never);
    return out.changes.map((c) => (c.action as { command: string }).command);
  };
  expect(await plan({ name: 'web', uid: 0, non_unique: true, create_home: false }, '')).toEqual([
    'useradd -u 0 -o -M web',
  ]);
  expect(await plan({ name: 'web', uid: 0, non_unique: true }, 'web:x:1001:1001::/home/web:/bin/sh')).toEqual(
    ['usermod -u 0 -o web'],
  );
});
