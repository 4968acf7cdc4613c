/**
 * apt's versioned names as 2.19's apt module reads them, side by side on this machine's bash
 * (nothing is installed: the names either hold already or fail): the installed version written
 * exactly, `>=` a lower one, `=` a wildcard no version matches, a version apt does not have,
 * a package apt does not have (a check run asks apt-get --simulate, as the module's check does).
 * quorum handed `bash=VERSION` whole to dpkg-query, found nothing and installed at every run,
 * and `bash>=5.0` reached apt-get, which cannot read it. Apply and check runs alike.
 */
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { ansibleCurrent } from '../helpers/ansible-oracle.ts';
import { runLocal } from '../helpers/run-local.ts';
import { sameStatuses, sideBySide } from '../helpers/side-by-side.ts';

const bash = execFileSync('dpkg-query', ['-W', '-f=${Version}', 'bash'], { encoding: 'utf8' });
const [major] = bash.split('.');

const play = () => `- hosts: all
  gather_facts: false
  tasks:
    - name: the installed version, exactly
      apt: { name: "bash=${bash}" }
    - name: at least an older one
      apt: { name: "bash>=${Number(major) - 1}.0" }
    - name: a wildcard nothing matches
      apt: { name: "bash=${Number(major) - 1}.0*" }
      ignore_errors: true
    - name: a version apt does not have
      apt: { name: "bash=0.0-nothing" }
      ignore_errors: true
    - name: a package apt does not have
      apt: { name: "quorum-no-such-package" }
      ignore_errors: true
`;

describe('apt versioned names, as ansible-core 2.19', () => {
  it('keeps what holds and fails what no version matches', async () => {
    const side = await sideBySide(play, {}, undefined, true);
    const expected = {
      'the installed version, exactly': 'ok',
      'at least an older one': 'ok',
      'a wildcard nothing matches': 'failed',
      'a version apt does not have': 'failed',
      // the check run asks apt-get --simulate, as the module's check does: it fails there too
      'a package apt does not have': 'failed',
    };
    expect(sameStatuses(side)).toEqual(expected);
    const failures = side.run.events.flatMap((e) =>
      e.type === 'step' && e.status === 'failed' ? [e.error?.message] : [],
    );
    expect(failures).toEqual([
      `no available installation candidate for bash=${Number(major) - 1}.0*`,
      'no available installation candidate for bash=0.0-nothing',
      expect.stringContaining('quorum-no-such-package'),
    ]);
    const [mine, theirs] = await Promise.all([
      runLocal(side.dir, { check: true }),
      ansibleCurrent('ansible-playbook', ['-i', 'hosts.ini', 'ansible.yml', '--check'], side.dir),
    ]);
    expect(sameStatuses({ run: mine, oracle: theirs })).toEqual(expected);
  }, 120_000);
});
