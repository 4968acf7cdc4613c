/**
 * Ansible Vault: values and whole files encrypted by ansible-vault 2.19 itself (1.1, and 1.2 with
 * a vault id), read by quorum with the password from a file, a script or --vault-id, into the
 * same files on the host as ansible-playbook writes; what a vault gave never in quorum's output.
 * Without the password, or with a wrong one, the run stops before any host, at the value's place.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ansibleCurrent } from '../helpers/ansible-oracle.ts';
import { quorum } from '../helpers/cli.ts';
import { playCli, validateCli, workspace, writeFiles } from '../helpers/run-local.ts';

const dir = workspace();
const SECRETS = { db: 's3cret-db-value', token: 'tok-98765', labelled: 'prod-only-pass' };

async function vault(args: string[]): Promise<string> {
  const r = await ansibleCurrent('ansible-vault', args, dir);
  if (r.code !== 0) throw new Error(`ansible-vault ${args.join(' ')}: ${r.stdout}${r.stderr}`);
  return r.stdout;
}

beforeAll(async () => {
  writeFiles(dir, {
    'hosts.ini': 'h1 ansible_connection=local ansible_python_interpreter=/usr/bin/python3\n',
    'pass.txt': 'correct horse\n',
    'prod.txt': 'battery staple\n',
    'wrong.txt': 'not it\n',
    'pass-script.sh': '#!/bin/sh\necho "correct horse"\n',
    'whole.yml': `api_token: ${SECRETS.token}\nport: 8443\n`,
    'files/server.key': 'PRIVATE KEY material\n',
    'templates/app.conf.j2': 'token={{ api_token }}\n',
  });
  chmodSync(join(dir, 'pass-script.sh'), 0o755);
  // copy needs the folder (the runs that must stop before any host get none)
  for (const out of ['q', 'a', 's', 'e']) mkdirSync(join(dir, out));
  const inline = await vault([
    'encrypt_string',
    '--vault-password-file',
    'pass.txt',
    SECRETS.db,
    '--name',
    'db_password',
  ]);
  const labelled = await vault([
    ...['encrypt_string', '--vault-id', 'prod@prod.txt', SECRETS.labelled, '--name', 'prod_password'],
  ]);
  for (const file of ['whole.yml', 'files/server.key', 'templates/app.conf.j2'])
    await vault(['encrypt', '--vault-password-file', 'pass.txt', file]);
  writeFiles(dir, {
    'inline.yml': `${inline}\n${labelled}\nplain_value: visible\n`,
    'play.yml': `
- hosts: all
  gather_facts: false
  vars_files: [inline.yml, whole.yml]
  tasks:
    - copy: { content: "{{ db_password }}|{{ prod_password }}|{{ api_token }}|{{ port }}|{{ plain_value }}\\n", dest: "{{ out }}/values.txt" }
    - debug: { msg: "token {{ api_token | upper }} and {{ plain_value }}" }
    - copy: { src: server.key, dest: "{{ out }}/server.key" }
    - template: { src: app.conf.j2, dest: "{{ out }}/app.conf" }
    - copy: { content: "{{ lookup('file', 'server.key') }}|{{ lookup('unvault', 'server.key') }}|{{ lookup('template', 'app.conf.j2') }}", dest: "{{ out }}/lookups.txt" }
`,
  });
});

describe('Ansible Vault', () => {
  it('decrypts what ansible-vault 2.19 encrypted, writes what ansible-playbook writes, and prints none of it', async () => {
    const run = playCli(
      dir,
      ...['-e', `out=${join(dir, 'q')}`, '--json', '--diff'],
      ...['--vault-password-file', join(dir, 'pass.txt'), '--vault-id', `prod@${join(dir, 'prod.txt')}`],
    );
    const oracle = await ansibleCurrent(
      'ansible-playbook',
      [
        ...['-i', 'hosts.ini', 'play.yml', '-e', `out=${join(dir, 'a')}`],
        ...['--vault-password-file', 'pass.txt'],
        ...['--vault-id', 'prod@prod.txt'],
      ],
      dir,
    );
    expect(oracle.code, oracle.stdout).toBe(0);
    expect(run.code, run.stderr).toBe(0);
    const mine = readFileSync(join(dir, 'q/values.txt'), 'utf8');
    expect(mine).toBe(readFileSync(join(dir, 'a/values.txt'), 'utf8'));
    expect(mine).toBe(`${SECRETS.db}|${SECRETS.labelled}|${SECRETS.token}|8443|visible\n`);
    // files a task copies or renders from an encrypted source, decrypted as Ansible's actions do
    // and the file, unvault and template lookups of encrypted files, as Ansible's loader reads them
    for (const file of ['server.key', 'app.conf', 'lookups.txt'])
      expect(readFileSync(join(dir, 'q', file), 'utf8')).toBe(readFileSync(join(dir, 'a', file), 'utf8'));
    expect(readFileSync(join(dir, 'q/server.key'), 'utf8')).toBe('PRIVATE KEY material\n');
    expect(readFileSync(join(dir, 'q/lookups.txt'), 'utf8')).toBe(
      `PRIVATE KEY material|PRIVATE KEY material\n|token=${SECRETS.token}\n`,
    );
    expect(run.stdout).not.toContain('PRIVATE KEY');
    // no decrypted text, nor one computed from it, in the event stream
    for (const text of [...Object.values(SECRETS), SECRETS.token.toUpperCase()])
      expect(run.stdout).not.toContain(text);
    expect(run.stdout).toContain('visible');
  });

  it('takes the password from a script, and from ANSIBLE_VAULT_PASSWORD_FILE', () => {
    const prod = ['--vault-id', `prod@${join(dir, 'prod.txt')}`];
    const fromScript = playCli(
      dir,
      '-e',
      `out=${join(dir, 's')}`,
      '--vault-password-file',
      join(dir, 'pass-script.sh'),
      ...prod,
    );
    expect(fromScript.code, fromScript.stderr).toBe(0);
    expect(readFileSync(join(dir, 's/values.txt'), 'utf8')).toContain(SECRETS.db);
    const fromEnv = quorum(
      ['play', join(dir, 'play.yml'), '-i', join(dir, 'hosts.ini'), '-e', `out=${join(dir, 'e')}`, ...prod],
      {
        env: { ANSIBLE_VAULT_PASSWORD_FILE: join(dir, 'pass.txt') },
      },
    );
    expect(fromEnv.code, fromEnv.stderr).toBe(0);
    expect(readFileSync(join(dir, 'e/values.txt'), 'utf8')).toContain(SECRETS.token);
  });

  it('without the password, or with a wrong one, stops before any host at the value’s place', () => {
    const none = playCli(dir, '-e', `out=${join(dir, 'n')}`);
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(
      /inline\.yml:1:\d+: a vault-encrypted value, and no vault password was given/,
    );
    const wrong = playCli(
      dir,
      '-e',
      `out=${join(dir, 'w')}`,
      '--vault-password-file',
      join(dir, 'wrong.txt'),
    );
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(/inline\.yml:1:\d+: Decryption failed/);
    expect([existsSync(join(dir, 'n')), existsSync(join(dir, 'w'))]).toEqual([false, false]);
  });

  it('quorum inventory and quorum vars read the vault too, and show its values masked', () => {
    writeFiles(dir, {
      'inv/hosts': 'h1 ansible_connection=local\n',
      'inv/group_vars/all.yml': readFileSync(join(dir, 'inline.yml'), 'utf8'),
    });
    const pass = [
      '--vault-password-file',
      join(dir, 'pass.txt'),
      '--vault-id',
      `prod@${join(dir, 'prod.txt')}`,
    ];
    const inventory = quorum(['inventory', '-i', join(dir, 'inv'), '--host', 'h1', ...pass]);
    expect(inventory.code, inventory.stderr).toBe(0);
    expect(JSON.parse(inventory.stdout)).toMatchObject({ db_password: '********', plain_value: 'visible' });
    const vars = quorum(['vars', 'h1', 'db_password', '-i', join(dir, 'inv'), ...pass]);
    expect(vars.code, vars.stderr).toBe(0);
    expect(vars.stdout).toContain('********');
    expect(vars.stdout + inventory.stdout).not.toContain(SECRETS.db);
    const without = quorum(['inventory', '-i', join(dir, 'inv'), '--list']);
    expect(without.code).toBe(1);
    expect(without.stderr).toMatch(
      /all\.yml:1:\d+: a vault-encrypted value, and no vault password was given/,
    );
  });

  it('refuses a YAML tag Ansible has no constructor for, where it stands', () => {
    const r = validateCli('- hosts: all\n  gather_facts: false\n  vars: { home: !env HOME }\n  tasks: []\n');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/play\.yml:3:\d+: could not determine a constructor for the tag '!env'/);
  });

  it('vault and unvault filters: ansible-vault opens what vault wrote; what unvault opens is written, never printed', async () => {
    writeFiles(dir, {
      'filters.yml': `
- hosts: all
  gather_facts: false
  vars:
    sealed: "{{ '${SECRETS.db}' | vault('filter pass', vault_id='prod') }}"
  tasks:
    - copy: { content: "{{ sealed }}", dest: "{{ out }}/sealed.txt" }
    - copy: { content: "{{ sealed | unvault('filter pass') }}", dest: "{{ out }}/opened.txt" }
    - debug: { msg: "{{ sealed | unvault('filter pass') }}" }
`,
      'filter-pass.txt': 'filter pass\n',
    });
    const out = join(dir, 'f');
    mkdirSync(out);
    const run = quorum([
      'play',
      join(dir, 'filters.yml'),
      '-i',
      join(dir, 'hosts.ini'),
      '-e',
      `out=${out}`,
      '--json',
      '--diff',
    ]);
    expect(run.code, run.stderr).toBe(0);
    expect(readFileSync(join(out, 'opened.txt'), 'utf8')).toBe(SECRETS.db);
    expect(readFileSync(join(out, 'sealed.txt'), 'utf8')).toMatch(/^\$ANSIBLE_VAULT;1\.2;AES256;prod\n/);
    const opened = await vault(['view', '--vault-password-file', 'filter-pass.txt', 'f/sealed.txt']);
    expect(opened).toBe(`${SECRETS.db}\n`); // view ends what it prints with a newline
    expect(run.stdout).not.toContain(SECRETS.db);
  });
});
