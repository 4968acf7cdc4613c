/**
 * `quorum resume ID` (issue 22): a failed run's playbook again, with its inventory and tags,
 * on the hosts it did not finish and those a later run ran on; the hosts that finished and were
 * not touched since are left out and named. It runs fewer
 * nodes than a re-run of the whole playbook and converges; the -e names of the run must be given
 * again (the journal keeps names, not values); a run that finished has nothing to resume.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RunEvent } from '../../src/report/events.ts';
import { quorum } from '../helpers/cli.ts';
import { workspace, writeFiles } from '../helpers/run-local.ts';

const events = (stdout: string) =>
  stdout
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as RunEvent);
const started = (stdout: string) => events(stdout).filter((e) => e.type === 'node_start');

describe('quorum resume', () => {
  it('runs again only where the run did not finish, names what it leaves out, and converges', () => {
    const dir = workspace();
    const env = { XDG_STATE_HOME: join(dir, 'state') };
    writeFiles(dir, {
      'hosts.ini': 'h1 ansible_connection=local\nh2 ansible_connection=local\nh3 ansible_connection=local\n',
      'play.yml': `- hosts: all
  gather_facts: false
  tasks:
    - copy: { content: "{{ inventory_hostname }}\\n", dest: "${dir}/{{ inventory_hostname }}.id" }
    - command: "test -e ${dir}/fixed"
      when: inventory_hostname == 'h2'
      changed_when: false
    - copy: { content: "done\\n", dest: "${dir}/{{ inventory_hostname }}.done" }
`,
    });
    const play = quorum(
      ['play', join(dir, 'play.yml'), '-i', join(dir, 'hosts.ini'), '--json', '-e', 'site=a'],
      {
        env,
      },
    );
    expect(play.code).toBe(2);
    const id = JSON.parse(quorum(['runs', '--json'], { env }).stdout.split('\n')[0]).id as string;

    // its -e names are asked for again
    const bare = quorum(['resume', id], { env });
    expect(bare.code).toBe(1);
    expect(bare.stderr).toContain(`run ${id} was given -e site; the journal keeps names, not values`);

    writeFiles(dir, { fixed: '' });
    const resumed = quorum(['resume', id, '-e', 'site=a', '--json'], { env });
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr).toContain(`resuming run ${id}`);
    expect(resumed.stderr).toContain('h2: failed at "command"');
    expect(resumed.stderr).toContain(`left out, finished in run ${id} and run by nothing since: h1, h3`);
    expect(new Set(started(resumed.stdout).map((e) => (e as { host: string }).host))).toEqual(
      new Set(['h2']),
    );
    expect(
      events(resumed.stdout).some((e) => e.type === 'step' && e.host === 'h2' && e.status === 'changed'),
    ).toBe(true);

    // the resumed run finished everywhere it ran
    const resumedId = JSON.parse(quorum(['runs', '--json'], { env }).stdout.split('\n')[0]).id as string;
    const again = quorum(['resume', resumedId, '-e', 'site=a'], { env });
    expect(again.code).toBe(0);
    expect(again.stderr).toContain(`run ${resumedId} finished on every host (1): nothing to resume`);

    // fewer nodes than a re-run of the whole playbook, which finds nothing left to change
    const rerun = quorum(
      ['play', join(dir, 'play.yml'), '-i', join(dir, 'hosts.ini'), '--json', '-e', 'site=a'],
      {
        env,
      },
    );
    expect(rerun.code).toBe(0);
    expect(started(resumed.stdout).length).toBeLessThan(started(rerun.stdout).length);
    expect(events(rerun.stdout).filter((e) => e.type === 'step' && e.status === 'changed')).toEqual([]);

    // the first run again: since then other runs ran on h1 and h3, so they are checked too
    const late = quorum(['resume', id, '-e', 'site=a'], { env });
    expect(late.code).toBe(0);
    expect(late.stderr).toContain('h1: finished, but a later run ran on it: checked again');
    expect(late.stderr).not.toContain('left out');
  });
});
