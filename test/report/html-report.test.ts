/**
 * `quorum report` (issue 22): one self-contained page of a run, from the journal or a --log
 * file: every host's recap, the plan graph, the timeline, changes with their diffs, failures
 * with their messages; secrets stay redacted; nothing loaded from anywhere. Opened in headless
 * Chromium: the page's own check finds every host, and nothing reaches its console.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BROWSER, openInBrowser } from '../helpers/browser.ts';
import { quorum } from '../helpers/cli.ts';
import { workspace, writeFiles } from '../helpers/run-local.ts';

const SECRET = 'Hunter2Html';

describe('quorum report --html', () => {
  const dir = workspace();
  const env = { XDG_STATE_HOME: join(dir, 'state') };
  writeFiles(dir, {
    'hosts.ini': 'h1 ansible_connection=local\nh2 ansible_connection=local\n',
    'play.yml': `- hosts: all
  gather_facts: false
  vars_prompt:
    - { name: pw, prompt: "pw?", default: ${SECRET} }
  tasks:
    - copy:
        content: "v={{ stamp }}\\nkey={{ pw | upper }}\\n"
        dest: "${dir}/{{ inventory_hostname }}.conf"
      notify: restart
    - command: "false"
      when: inventory_hostname == 'h2'
  handlers:
    - name: restart
      command: "true"
`,
  });
  const play = (stamp: string, ...more: string[]) =>
    quorum(
      [
        'play',
        join(dir, 'play.yml'),
        '-i',
        join(dir, 'hosts.ini'),
        '--diff',
        '-e',
        `stamp=${stamp}`,
        ...more,
      ],
      { env },
    );
  play('1');
  const second = play('2', '--log', join(dir, 'run.log'));
  const runId = JSON.parse(quorum(['runs', '--json'], { env }).stdout.split('\n')[0]).id as string;

  it('from the journal: recap, plan, timeline, the diff, the failure; no secret; nothing external', () => {
    expect(second.code).toBe(2);
    const out = join(dir, 'report.html');
    const r = quorum(['report', runId, '--html', out], { env });
    expect(r.code, r.stderr).toBe(0);
    const html = readFileSync(out, 'utf8');
    expect(html).toContain(`quorum run ${runId}: <span class="bad">failed (exit 2)</span>`);
    for (const h of ['h1', 'h2']) {
      expect(html).toContain(`<tr data-host="${h}">`);
      expect(html).toContain(`<section data-host="${h}">`);
    }
    expect(html).toContain('<svg class="graph"');
    expect(html).toContain('<svg class="timeline"');
    expect(html).toContain('<span class="del">-v=1</span>');
    expect(html).toContain('<span class="add">+v=2</span>');
    expect(html).toContain('key=********');
    expect(html).toContain('<span class="st">failed</span> command: command failed with exit code 1');
    expect(html).toMatch(/<pre>command failed with exit code 1\ncommand: [^<]*false/);
    expect(html).toContain('handler</span> restart');
    for (const leak of [SECRET, SECRET.toUpperCase()]) expect(html).not.toContain(leak);
    expect(html).not.toMatch(/\b(src|href)=|https?:\/\/|@import/);
  });

  it('from a --log file: the same run', () => {
    const out = join(dir, 'from-log.html');
    expect(quorum(['report', '--log', join(dir, 'run.log'), '--html', out]).code).toBe(0);
    const html = readFileSync(out, 'utf8');
    expect(html).toContain('<section data-host="h2">');
    expect(html).toContain('<span class="add">+v=2</span>');
    expect(quorum(['report', '--log', join(dir, 'hosts.ini'), '--html', out]).stderr).toContain(
      'holds no run',
    );
  });

  it.runIf(BROWSER)(
    'opens in headless Chromium: every host found by the page, no console line, a screenshot',
    () => {
      const out = join(dir, 'report.html');
      if (!existsSync(out)) quorum(['report', runId, '--html', out], { env });
      const shot = join(dir, 'report.png');
      const page = openInBrowser(out, shot);
      expect(page.console).toEqual([]);
      expect(page.dom).toContain('<html lang="en" data-checked="2">');
      expect(statSync(shot).size).toBeGreaterThan(10_000);
    },
  );
});
