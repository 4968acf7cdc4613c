/**
 * Inputs past quorum's bounds (issue 25, item 8), each with the command that meets it and the
 * error it must give. The unit test holds each to its error; `npm run bench:limits` reports
 * the time and memory each one costs before it is refused.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface OversizedInput {
  name: string;
  /** quorum's arguments, given the folder the case wrote its files to. */
  args: (dir: string) => string[];
  /** What stderr must say (file:line where there is one). */
  error: RegExp;
}

const PLAY = (tasks: string, extra = '') => `- hosts: all\n  gather_facts: false\n${extra}  tasks:\n${tasks}`;

export function writeOversizedInputs(dir: string): void {
  writeFileSync(join(dir, 'hosts.ini'), 'h1 ansible_connection=local\n');
  writeFileSync(join(dir, 'play.yml'), PLAY('    - debug: msg=hi\n'));
  writeFileSync(join(dir, 'range.ini'), '[all]\nh[1:999999999]\n');
  writeFileSync(join(dir, 'range.yml'), 'all:\n  hosts:\n    h[1:999999999]:\n');
  writeFileSync(join(dir, 'nested-range.ini'), '[all]\nh[1:1000]x[1:1000]\n');
  writeFileSync(join(dir, 'huge-string.yml'), PLAY(`    - debug: msg="{{ 'a' * 10**9 }}"\n`));
  writeFileSync(
    join(dir, 'loop-strings.yml'),
    PLAY(
      `    - debug: msg="{{ x | length }}"\n      loop: [1, 2, 3, 4, 5, 6, 7, 8]\n`,
      `  vars:\n    x: "{{ 'a' * 10**8 }}"\n`,
    ),
  );
  writeFileSync(join(dir, 'deep.yml'), `x: ${'['.repeat(100_000)}${']'.repeat(100_000)}\n`);
  writeFileSync(join(dir, 'deep-play.yml'), PLAY('    - debug: msg=hi\n', '  vars_files: [deep.yml]\n'));
}

export const OVERSIZED: OversizedInput[] = [
  {
    name: '-e @/dev/zero',
    args: (d) => ['validate', join(d, 'play.yml'), '-i', join(d, 'hosts.ini'), '-e', '@/dev/zero'],
    error: /\/dev\/zero: the extra vars file is larger than 64 MiB, quorum's limit for it/,
  },
  {
    name: '-i /dev/zero',
    args: (d) => ['validate', join(d, 'play.yml'), '-i', '/dev/zero'],
    error: /\/dev\/zero: the inventory file is larger than 64 MiB/,
  },
  {
    name: 'INI h[1:999999999]',
    args: (d) => ['inventory', '--graph', '-i', join(d, 'range.ini')],
    error: /range\.ini:2: host range "h\[1:999999999\]" stands for more than 100,000 hosts/,
  },
  {
    name: 'YAML h[1:999999999]',
    args: (d) => ['inventory', '--graph', '-i', join(d, 'range.yml')],
    error: /range\.yml:3:\d+: host range "h\[1:999999999\]" stands for more than 100,000 hosts/,
  },
  {
    name: 'h[1:1000]x[1:1000]',
    args: (d) => ['inventory', '--graph', '-i', join(d, 'nested-range.ini')],
    error: /nested-range\.ini:2: host range "h\[1:1000\]x\[1:1000\]" stands for more than 100,000 hosts/,
  },
  {
    name: "'a' * 10**9",
    args: (d) => ['validate', join(d, 'huge-string.yml'), '-i', join(d, 'hosts.ini')],
    error:
      /huge-string\.yml:4:\d+: the result is longer than a JavaScript string can be, more than quorum's limit of 64 MiB/,
  },
  {
    name: "'a' * 10**8, 8 times",
    args: (d) => ['play', join(d, 'loop-strings.yml'), '-i', join(d, 'hosts.ini')],
    error: /loop-strings\.yml:\d+:\d+: the result is 95 MiB of text, more than quorum's limit of 64 MiB/,
  },
  {
    name: 'YAML nested 10^5 deep',
    args: (d) => ['validate', join(d, 'deep-play.yml'), '-i', join(d, 'hosts.ini')],
    error: /deep\.yml:1:\d+: its values nest deeper than quorum can read/,
  },
];
