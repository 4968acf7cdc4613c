/**
 * vars_prompt without a terminal (as in CI, or piped): -e gives the value, else the default;
 * with neither the run stops before any host, at the prompt's place. A private value is a
 * secret of the run. (Asking on a terminal goes through the same path with the answer.)
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runPlaybook } from '../../src/execute/run.ts';
import type { RunEvent } from '../../src/report/events.ts';
import { LocalTransport } from '../../src/transport/local.ts';
import { quorum } from '../helpers/cli.ts';
import { playCli, workspace, writeFiles } from '../helpers/run-local.ts';

const PLAY = (prompt: string) =>
  `- hosts: all\n  gather_facts: false\n  vars_prompt:\n${prompt}  tasks:\n    - debug: { msg: "user={{ user }} pw={{ pw }}" }\n`;

describe('vars_prompt', () => {
  it('takes -e first, else the default; a private value never shows', () => {
    const dir = workspace();
    writeFiles(dir, {
      'hosts.ini': 'h1 ansible_connection=local\n',
      'play.yml': PLAY(
        '    - { name: user, prompt: "user?", default: admin, private: false }\n    - { name: pw, prompt: "password?", default: s3cret-value }\n',
      ),
    });
    const r = playCli(dir, '-v');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('user=admin pw=');
    expect(r.stdout).not.toContain('s3cret-value');
    const given = playCli(dir, '-e', 'user=ops');
    expect(given.stdout).toContain('user=ops');
  });

  it('with no default and no terminal, stops before any host at the prompt', () => {
    const dir = workspace();
    writeFiles(dir, {
      'hosts.ini': 'h1 ansible_connection=local\n',
      'play.yml': PLAY('    - { name: user, private: false }\n    - { name: pw, default: x }\n'),
    });
    const r = playCli(dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /play\.yml:4:\d+: vars_prompt "user" has no default and there is no terminal to ask on\n {2}hint: give it with -e user=\.\.\./,
    );
  });

  it('asks on a terminal: an empty answer takes the default, a confirmation must match', async () => {
    const dir = workspace();
    writeFiles(dir, {
      'hosts.ini': 'h1 ansible_connection=local\n',
      'play.yml': PLAY(
        '    - { name: user, default: admin, private: false }\n    - { name: pw, confirm: true }\n',
      ),
    });
    const asked: string[] = [];
    const events: RunEvent[] = [];
    const answers = ['', 'hunter2', 'hunter2'];
    const code = await runPlaybook({
      playbook: join(dir, 'play.yml'),
      runLock: false, // this machine, shared with the other tests
      durableHandlers: false,
      inventory: [join(dir, 'hosts.ini')],
      reporters: [(e) => events.push(e)],
      transportFactory: (host) => new LocalTransport(host),
      ask: async (q) => {
        asked.push(q);
        return answers.shift() ?? '';
      },
    });
    expect(code).toBe(0);
    expect(asked).toEqual(['user [admin]: ', 'pw: ', 'confirm pw: ']);
    const shown = JSON.stringify(events);
    expect(shown).toContain('user=admin pw=');
    expect(shown).not.toContain('hunter2');
  });
});

describe('planning never prompts', () => {
  it('validate, --list-tasks and --list-hosts plan a play whose prompt has no default, without a terminal', () => {
    const dir = workspace();
    writeFiles(dir, {
      'hosts.ini': 'h1 ansible_connection=local\n',
      'play.yml': PLAY('    - { name: user, prompt: "user?" }\n    - { name: pw, prompt: "password?" }\n'),
    });
    for (const mode of ['--list-tasks', '--list-hosts']) {
      const r = playCli(dir, mode);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
    }
    const validate = quorum(['validate', join(dir, 'play.yml'), '-i', join(dir, 'hosts.ini')]);
    expect(validate.stderr).toBe('');
    expect(validate.code).toBe(0);
    // a run still needs the value
    expect(playCli(dir).code).toBe(1);
  });
});

describe('a host pattern that matches nothing', () => {
  it("is a warning in Ansible's words (validate, and the run's event stream), naming the play", async () => {
    const dir = workspace();
    writeFiles(dir, {
      'hosts.ini': '[web]\nh1 ansible_connection=local\n',
      'play.yml': '- hosts: webb:web\n  gather_facts: false\n  tasks:\n    - debug: { msg: hi }\n',
    });
    const validate = quorum(['validate', join(dir, 'play.yml'), '-i', join(dir, 'hosts.ini')]);
    expect(validate.code).toBe(0);
    expect(validate.stderr).toBe(
      `warning: play "play 1" (${join(dir, 'play.yml')}:1): could not match supplied host pattern, ignoring: webb\n`,
    );
    const events: RunEvent[] = [];
    const code = await runPlaybook({
      playbook: join(dir, 'play.yml'),
      runLock: false, // this machine, shared with the other tests
      durableHandlers: false,
      inventory: [join(dir, 'hosts.ini')],
      reporters: [(e) => events.push(e)],
      transportFactory: (host) => new LocalTransport(host),
    });
    expect(code).toBe(0);
    expect(events.filter((e) => e.type === 'warning').map((e) => (e as { message: string }).message)).toEqual(
      [`play "play 1" (${join(dir, 'play.yml')}:1): could not match supplied host pattern, ignoring: webb`],
    );
  });
});
