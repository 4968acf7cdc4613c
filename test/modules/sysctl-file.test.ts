/**
 * sysctl's file as ansible.posix.sysctl (ansible 12.0.0's collection) keeps it: the whole file
 * written back `key=value`, each line stripped, a key's repeats dropped; the name and the value
 * stripped, yes/no as 1/0; a change only where the file's value differs. reload: false, so the
 * kernel of this machine is not touched: held side by side with the module on files of each side.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { sameStatuses, sideBySide } from '../helpers/side-by-side.ts';

const MESSY =
  '# kernel settings\\n  vm.swappiness = 10  \\n\\n; old\\nnet.core.somaxconn=128\\nvm.swappiness=20\\nnot a setting\\n';

const play = (out: string) => `
- hosts: all
  gather_facts: false
  vars: { file: "${out}/sysctl.conf" }
  tasks:
    - name: the file
      copy: { dest: "{{ file }}", content: "${MESSY}" }
    - name: a new key
      ansible.posix.sysctl: { name: kernel.pid_max, value: "65536 ", sysctl_file: "{{ file }}", reload: false }
    - name: the same again
      ansible.posix.sysctl: { name: kernel.pid_max, value: 65536, sysctl_file: "{{ file }}", reload: false }
    - name: a name with a space after it
      ansible.posix.sysctl: { name: "net.core.somaxconn ", value: "1024", sysctl_file: "{{ file }}", reload: false }
    - name: yes as 1
      ansible.posix.sysctl: { name: net.ipv4.ip_forward, value: "yes", sysctl_file: "{{ file }}", reload: false }
    - name: the first of a repeated key
      ansible.posix.sysctl: { name: vm.swappiness, value: "20", sysctl_file: "{{ file }}", reload: false }
    - name: absent
      ansible.posix.sysctl: { name: kernel.pid_max, state: absent, sysctl_file: "{{ file }}", reload: false }
    - name: absent again
      ansible.posix.sysctl: { name: kernel.pid_max, state: absent, sysctl_file: "{{ file }}", reload: false }
`;

it('writes the file as ansible.posix.sysctl does, and changes where it does', async () => {
  const { out, run, oracle } = await sideBySide(play);
  expect(sameStatuses({ run, oracle })).toEqual({
    'the file': 'changed',
    'a new key': 'changed',
    'the same again': 'ok',
    'a name with a space after it': 'changed',
    'yes as 1': 'changed',
    // the file was written back once already, its repeat of vm.swappiness dropped: 10, not 20
    'the first of a repeated key': 'changed',
    absent: 'changed',
    'absent again': 'ok',
  });
  const read = (d: string) => readFileSync(join(d, 'sysctl.conf'), 'utf8');
  expect(read(out.quorum)).toBe(read(out.ansible));
  expect(read(out.quorum)).toBe(
    '# kernel settings\nvm.swappiness=20\n\n; old\nnet.core.somaxconn=1024\nnot a setting\nnet.ipv4.ip_forward=1\n',
  );
}, 60_000);
