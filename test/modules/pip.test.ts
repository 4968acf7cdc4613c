/**
 * pip held to ansible-core 2.19's module side by side, each in a virtualenv of its own made by
 * the task (`/usr/bin/python3 -m venv`), from wheels built here (no index: PIP_NO_INDEX and
 * PIP_FIND_LINKS, no traffic): names with specifiers compared as PEP 440 (quorum took any
 * installed version for `demo-pkg>=2`), `version`, names split at commas put back together,
 * absent, a requirements file judged by the freeze before and after, latest; the same
 * statuses and registered values; a second run changes nothing on either side.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ansibleCurrent } from '../helpers/ansible-oracle.ts';
import { runLocal } from '../helpers/run-local.ts';
import {
  bothSucceeded,
  changedAgain,
  resultsTask,
  sameResults,
  sameStatuses,
  sideBySide,
} from '../helpers/side-by-side.ts';

/** demo_pkg 1.0 and 2.0 as wheels in DIR/wheels: a wheel is a zip of the package and its dist-info. */
const WHEELS = String.raw`
import os, sys, zipfile, hashlib, base64
out = sys.argv[1]
os.makedirs(out, exist_ok=True)
for v in ('1.0', '2.0'):
    info = f'demo_pkg-{v}.dist-info'
    files = {
        'demo_pkg/__init__.py': f'VERSION = "{v}"\n',
        f'{info}/METADATA': f'Metadata-Version: 2.1\nName: demo-pkg\nVersion: {v}\n',
        f'{info}/WHEEL': 'Wheel-Version: 1.0\nGenerator: quorum-test\nRoot-Is-Purelib: true\nTag: py3-none-any\n',
    }
    record = []
    for name, text in files.items():
        digest = base64.urlsafe_b64encode(hashlib.sha256(text.encode()).digest()).rstrip(b'=').decode()
        record.append(f'{name},sha256={digest},{len(text.encode())}')
    files[f'{info}/RECORD'] = '\n'.join(record + [f'{info}/RECORD,,']) + '\n'
    with zipfile.ZipFile(os.path.join(out, f'demo_pkg-{v}-py3-none-any.whl'), 'w') as z:
        for name, text in files.items():
            z.writestr(name, text)
`;

const play = (out: string) => {
  const dir = join(out, '..');
  const venv = { virtualenv: `${out}/venv`, virtualenv_command: '/usr/bin/python3 -m venv' };
  const task = (name: string, args: Record<string, unknown>) =>
    `    - name: ${JSON.stringify(name)}\n      pip: ${JSON.stringify({ ...venv, ...args })}\n      register: r${tasks.length}`;
  const tasks: string[] = [];
  for (const [name, args] of [
    ['the virtualenv made, 1.0 in it', { name: 'demo-pkg==1.0' }],
    ['present', { name: 'demo_pkg' }],
    ['a specifier the installed version misses', { name: 'demo-pkg>=2' }],
    ['version given', { name: 'demo-pkg', version: '2.0' }],
    ['a specifier split at its comma', { name: ['demo-pkg<3', '>=2'] }],
    ['absent, never installed', { name: 'other-pkg', state: 'absent' }],
    ['absent', { name: 'demo-pkg', state: 'absent' }],
    ['a requirements file', { requirements: `${dir}/req.txt` }],
    ['the same file again', { requirements: `${dir}/req.txt` }],
    ['latest', { name: 'demo-pkg', state: 'latest' }],
    ['latest again', { name: 'demo-pkg', state: 'latest' }],
  ] as const)
    tasks.push(task(name, args));
  return `- hosts: all
  gather_facts: false
  environment:
    PIP_NO_INDEX: "1"
    PIP_FIND_LINKS: "${dir}/wheels"
    PIP_DISABLE_PIP_VERSION_CHECK: "1"
  tasks:
${tasks.join('\n')}
${resultsTask(`${out}/results.json`, tasks.length, ['cmd', 'stdout', 'stderr', 'stdout_lines', 'stderr_lines'])}
`;
};

describe('pip, as ansible-core 2.19', () => {
  it('installs, compares and removes what the module does, in a virtualenv it makes', async () => {
    const side = await sideBySide(play, { 'req.txt': 'demo-pkg==1.0\n' }, undefined, false, (dir) =>
      execFileSync('python3', ['-c', WHEELS, join(dir, 'wheels')]),
    );
    bothSucceeded(side);
    const statuses = sameStatuses(side);
    expect(statuses).toMatchObject({
      'the virtualenv made, 1.0 in it': 'changed',
      present: 'ok',
      'a specifier the installed version misses': 'changed',
      'version given': 'ok',
      'a specifier split at its comma': 'ok',
      absent: 'changed',
      'a requirements file': 'changed',
      'the same file again': 'ok',
      latest: 'changed',
      'latest again': 'ok',
    });
    sameResults(side.out);
    // the play is no fixpoint (1.0, then 2.0, absent, 1.0, latest): both engines change the same again
    expect(await changedAgain(side.dir)).toEqual([
      'the virtualenv made, 1.0 in it',
      'a specifier the installed version misses',
      'absent',
      'a requirements file',
      'latest',
    ]);
    // a check run on what that left (2.0 installed): what the module's check mode says, task by task
    const [mine, theirs] = await Promise.all([
      runLocal(side.dir, { check: true }),
      ansibleCurrent('ansible-playbook', ['-i', 'hosts.ini', 'ansible.yml', '--check'], side.dir),
    ]);
    expect(sameStatuses({ run: mine, oracle: theirs })).toMatchObject({
      'the virtualenv made, 1.0 in it': 'changed',
      present: 'ok',
      'a requirements file': 'changed',
      'latest again': 'changed',
    });
  }, 240_000);
});
