/**
 * Ansible's ssh arguments: what quorum's own SSH client honours is taken, what only tunes
 * OpenSSH changes nothing, anything else is refused before any host is touched.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { sshOptionsFor } from '../../src/transport/connect.ts';
import { parseSshArgs } from '../../src/transport/ssh-args.ts';
import { quorum } from '../helpers/cli.ts';
import { workspace, writeFiles } from '../helpers/run-local.ts';

const args = (text: string) => parseSshArgs([{ text, from: 'test' }]);

describe('ssh arguments', () => {
  const saved = { ...process.env };
  afterEach(() => {
    for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
    Object.assign(process.env, saved);
  });

  it('takes known hosts, host key checking and jumps; the first value wins, as in OpenSSH', () => {
    expect(
      args(
        '-C -o ControlMaster=auto -o ControlPersist=60s -o UserKnownHostsFile=/a -o UserKnownHostsFile=/b -o StrictHostKeyChecking=No',
      ),
    ).toEqual({ userKnownHostsFile: '/a', strictHostKeyChecking: 'no' });
    expect(args('-J admin@bastion:2200').proxyJump).toBe('admin@bastion:2200');
    expect(args('-o ProxyJump=bastion').proxyJump).toBe('bastion');
    expect(args('-o ProxyCommand="ssh -W %h:%p -q admin@bastion"').proxyJump).toBe('admin@bastion');
    expect(args("-o 'ProxyCommand=ssh -q -p 2200 -l ops -W [%h]:%p bastion'").proxyJump).toBe(
      'ops@bastion:2200',
    );
  });

  it('refuses what would reach the host otherwise, naming where it came from', () => {
    expect(() => args('-o ProxyCommand="nc -X 5 -x proxy:1080 %h %p"')).toThrow(
      /ProxyCommand=nc .*its own SSH client/,
    );
    expect(() => args('-p 2222')).toThrow(/test: -p: quorum is its own SSH client/);
    expect(() => args('-o User=ops')).toThrow(/-o User/);
    expect(() => args('-F ./ssh_config')).toThrow(/-F/);
    expect(() => args('-o ProxyCommand="ssh -W %h:%p a b"')).toThrow(/ProxyCommand/);
  });

  it('takes the login user, port and ssh_args from the config (ANSIBLE_REMOTE_USER ...) where no variable names them', () => {
    process.env.ANSIBLE_REMOTE_USER = 'deploy';
    process.env.ANSIBLE_REMOTE_PORT = '2200';
    process.env.ANSIBLE_SSH_ARGS = '-o UserKnownHostsFile=/etc/ssh/lab_known_hosts';
    const fromConfig = sshOptionsFor('unlisted-host-name.invalid', {});
    expect([fromConfig.user, fromConfig.port, fromConfig.knownHostsFile]).toEqual([
      'deploy',
      2200,
      '/etc/ssh/lab_known_hosts',
    ]);
    const fromVars = sshOptionsFor('unlisted-host-name.invalid', { ansible_user: 'ops', ansible_port: 22 });
    expect([fromVars.user, fromVars.port]).toEqual(['ops', 22]);
  });

  it("takes ~/.ssh/config's ProxyCommand where it is a jump, and refuses any other", () => {
    const home = workspace();
    writeFiles(home, {
      '.ssh/config': [
        'Host db',
        '  ProxyCommand ssh -q -W %h:%p ops@bastion',
        'Host ssm',
        '  ProxyCommand sh -c "aws ssm start-session --target %h"',
        '',
      ].join('\n'),
    });
    process.env.HOME = home;
    expect(sshOptionsFor('db', {}).jump).toMatchObject({ address: 'bastion', user: 'ops', port: 22 });
    expect(() => sshOptionsFor('ssm', {})).toThrow(
      /ssm: ~\/.ssh\/config: ProxyCommand sh -c .*would reach the host otherwise/,
    );
  });

  it("reads the ssh plugin's variables in its order: the last of an option's names that is set wins", () => {
    const o = sshOptionsFor('unlisted-host-name.invalid', {
      ansible_host: '10.0.0.1',
      ansible_ssh_host: '10.0.0.2',
      ansible_port: 22,
      ansible_ssh_port: 2201,
      ansible_user: 'a',
      ansible_ssh_user: 'b',
      ansible_password: 'p1',
      ansible_ssh_pass: 'p2',
      ansible_host_key_checking: false,
      ansible_ssh_args: '-o UserKnownHostsFile=/k',
    });
    expect([o.address, o.port, o.user, o.password, o.hostKeyPolicy, o.knownHostsFile]).toEqual([
      '10.0.0.2',
      2201,
      'b',
      'p2',
      'off',
      '/k',
    ]);
    expect(() => sshOptionsFor('h', { ansible_ssh_private_key: '-----BEGIN' })).toThrow(
      /h: ansible_ssh_private_key is not supported: quorum reads SSH keys from files/,
    );
  });

  it('refuses a become method or flags in the inventory that quorum would not run as asked', () => {
    const dir = workspace();
    writeFiles(dir, {
      'one.ini': 'h1 ansible_connection=local ansible_become_method=doas\n',
      'two.ini': 'h2 ansible_connection=local ansible_become_flags=-E\n',
      'play.yml': '- hosts: all\n  gather_facts: false\n  tasks:\n    - ping:\n',
    });
    const one = quorum(['validate', 'play.yml', '-i', 'one.ini'], { cwd: dir });
    expect(one.stderr).toContain('h1: ansible_become_method doas is not supported (sudo or su)');
    const two = quorum(['validate', 'play.yml', '-i', 'two.ini'], { cwd: dir });
    expect(two.stderr).toContain('h2: become_flags "-E" is not supported with sudo');
  });

  it('refuses an inventory variable quorum would not honour before any host is touched', () => {
    const dir = workspace();
    writeFiles(dir, {
      'hosts.ini': `h1 ansible_host=127.0.0.1 ansible_ssh_common_args='-o ProxyCommand="aws ssm start-session --target %h"'\n`,
      'play.yml': '- hosts: all\n  gather_facts: false\n  tasks:\n    - ping:\n',
    });
    const r = quorum(['play', 'play.yml', '-i', 'hosts.ini', '--no-journal'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      'h1: ansible_ssh_common_args: -o ProxyCommand=aws ssm start-session --target %h',
    );
    expect(r.stdout).not.toContain('h1');
  });
});
