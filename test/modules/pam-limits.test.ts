/**
 * pam_limits held to community.general's own module (Debian 13's ansible 12.0.0 collections, run
 * by ansible-core 2.19): the same limits.conf and parameters through `ansible localhost -m
 * community.general.pam_limits` and through quorum's edit, the same bytes and the same
 * changed; then one run through a playbook, apply and second run.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { editLimits } from '../../src/modules/pam-limits.ts';
import { ansibleCurrent } from '../helpers/ansible-oracle.ts';
import { runLocal, steps, workspace, writeFiles } from '../helpers/run-local.ts';

const CONF = [
  '# /etc/security/limits.conf',
  '#<domain>      <type>  <item>         <value>',
  '*               soft    core            0',
  '@staff   hard   nproc   50   # staff cap',
  'root hard nofile 4096',
  '',
  'bad line here',
  'app - memlock unlimited',
].join('\n');

const CASES: Array<[string, Record<string, unknown>, string?]> = [
  ['a new limit', { domain: 'deploy', limit_type: 'soft', limit_item: 'nofile', value: '65536' }],
  ['the same value', { domain: 'root', limit_type: 'hard', limit_item: 'nofile', value: '4096' }],
  ['a new value', { domain: 'root', limit_type: 'hard', limit_item: 'nofile', value: '8192' }],
  [
    'with a comment',
    { domain: 'root', limit_type: 'hard', limit_item: 'nofile', value: '1', comment: 'low' },
  ],
  [
    'use_max keeps the larger',
    { domain: '@staff', limit_type: 'hard', limit_item: 'nproc', value: '10', use_max: true },
  ],
  [
    'use_min takes the smaller',
    { domain: '@staff', limit_type: 'hard', limit_item: 'nproc', value: '10', use_min: true },
  ],
  [
    'use_min with unlimited',
    { domain: 'app', limit_type: '-', limit_item: 'memlock', value: '64', use_min: true },
  ],
  [
    'use_max with unlimited',
    { domain: 'app', limit_type: '-', limit_item: 'memlock', value: '64', use_max: true },
  ],
  ['nice in range', { domain: 'deploy', limit_type: 'soft', limit_item: 'nice', value: '-5' }],
  [
    'a file ending without a newline',
    { domain: 'x', limit_type: 'soft', limit_item: 'core', value: '0' },
    'x soft nproc 5',
  ],
  ['an empty file', { domain: 'x', limit_type: 'hard', limit_item: 'as', value: 'infinity' }, ''],
];

async function viaAnsible(text: string, args: Record<string, unknown>) {
  const dir = mkdtempSync(join(tmpdir(), 'quorum-limits-'));
  const dest = join(dir, 'limits.conf');
  writeFileSync(dest, text);
  const r = await ansibleCurrent('ansible', [
    'localhost',
    '-c',
    'local',
    '-e',
    'ansible_python_interpreter=/usr/bin/python3',
    '-m',
    'community.general.pam_limits',
    '-a',
    JSON.stringify({ dest, ...args }),
  ]);
  if (r.code !== 0) throw new Error(`pam_limits: ${r.stdout}${r.stderr}`);
  return { text: readFileSync(dest, 'utf8'), changed: /CHANGED/.test(r.stdout) };
}

const linesOf = (text: string) => text.match(/[^\n]*\n|[^\n]+$/g) ?? [];

describe('pam_limits, as community.general', () => {
  it.each(CASES)(
    '%s',
    async (_, args, text = CONF) => {
      const expected = await viaAnsible(text, args);
      const mine = editLimits(linesOf(text), args as never);
      expect(mine).toEqual(expected);
    },
    30_000,
  );

  it('a playbook sets the limit, and a second run changes nothing', async () => {
    // (a file whose last line has no newline gets the new line glued to it, by Ansible too, and
    // then never converges: the table above holds that case to Ansible's bytes)
    const conf = `${CONF}\n`;
    const dir = workspace();
    writeFiles(dir, {
      'hosts.ini': 'h1 ansible_connection=local\n',
      'limits.conf': conf,
      'play.yml': `- hosts: all\n  tasks:\n    - community.general.pam_limits: { dest: ${dir}/limits.conf, domain: deploy, limit_type: '-', limit_item: nofile, value: '1024' }\n`,
    });
    const first = await runLocal(dir);
    expect(steps(first).map((s) => s.status)).toEqual(['changed']);
    const ansible = await viaAnsible(conf, {
      domain: 'deploy',
      limit_type: '-',
      limit_item: 'nofile',
      value: '1024',
    });
    // an earlier line's comment is taken, with its newline: Ansible's bytes
    expect(readFileSync(join(dir, 'limits.conf'), 'utf8')).toBe(ansible.text);
    expect(ansible.text.endsWith('unlimited\ndeploy\t-\tnofile\t1024\t# staff cap\n\n')).toBe(true);
    const second = await runLocal(dir);
    expect(steps(second).map((s) => s.status)).toEqual(['ok']);
  });
});
