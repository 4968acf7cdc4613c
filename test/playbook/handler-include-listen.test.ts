/**
 * An include_tasks in handlers answers to its name and its `listen` topics, as ansible-core
 * 2.19's HandlerTaskInclude does: notified either way, the included tasks run once, in their
 * place among the handlers (grafana.grafana's grafana_agent role: "Check Grafana Agent is
 * started properly" includes a file and listens to "restart grafana-agent"). `listen` on an
 * import_tasks there is taken and reaches no task, as in 2.19.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { bothSucceeded, sideBySide } from '../helpers/side-by-side.ts';

const play = (out: string) => `
- hosts: all
  gather_facts: false
  vars: { out: ${out} }
  tasks:
    - name: by topic
      shell: echo by-topic >> {{ out }}/log
      notify: restart topic
    - name: by name
      shell: echo by-name >> {{ out }}/log
      notify: Check started
    - name: by the imported task's topic
      shell: echo import-topic >> {{ out }}/log
      notify: import topic
  handlers:
    - name: Restart
      shell: echo restart >> {{ out }}/log
      listen: restart topic
    - name: Check started
      include_tasks: started.yml
      listen: restart topic
    - name: Imported checks
      import_tasks: imported.yml
      listen: import topic
    - name: Import topic taken
      shell: echo import-topic-handler >> {{ out }}/log
      listen: import topic
`;

const files = {
  'started.yml': `
- name: first inner step
  shell: echo inner-1 >> {{ out }}/log
- name: second inner step
  shell: echo inner-2 >> {{ out }}/log
`,
  'imported.yml': `
- name: imported step
  shell: echo imported >> {{ out }}/log
`,
};

it('runs an include_tasks handler notified by its name or its listen topic, once', async () => {
  const { out, run, oracle } = await sideBySide(play, files);
  bothSucceeded({ run, oracle });
  const read = (d: string) => readFileSync(join(d, 'log'), 'utf8');
  expect(read(out.quorum)).toBe(read(out.ansible));
  expect(read(out.quorum)).toBe(
    'by-topic\nby-name\nimport-topic\nrestart\ninner-1\ninner-2\nimport-topic-handler\n',
  );
}, 60_000);
