/**
 * Secrets reach no output, in any form: a private prompt's value quoted by an error raised
 * before the run, a regular expression or JSON text that is a secret, and what a template
 * computes from a secret (`| upper`, `| b64encode`, `~`, set_fact), in text, JSON and --diff.
 * Each test greps the whole output (stdout and stderr) for the secret and its derived forms.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { playCli, workspace, writeFiles } from '../helpers/run-local.ts';

const SECRET = 'Hunter2Role';
/** The secret and what the playbooks below compute from it. */
const FORMS = [SECRET, SECRET.toUpperCase(), SECRET.toLowerCase(), Buffer.from(SECRET).toString('base64')];

function leaks(output: string): string[] {
  return FORMS.filter((f) => output.includes(f));
}

const prompt = (value: string) =>
  `  vars_prompt:\n    - { name: pw, prompt: "pw?", default: ${JSON.stringify(value)} }\n`;

describe('secrets derived or quoted', () => {
  it('a private prompt quoted by an error before the run is masked; a bad pattern is located, not quoted', () => {
    const dir = workspace();
    writeFiles(dir, {
      'hosts.ini': 'h1 ansible_connection=local\n',
      'play.yml': `- hosts: all\n  gather_facts: false\n${prompt(`{"a": ${SECRET}(`)}  tasks:\n    - debug: msg="{{ pw | from_json }}"\n`,
    });
    const r = playCli(dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/play\.yml:6:\d+: from_json: the text is not valid JSON/);
    expect(leaks(r.stdout + r.stderr)).toEqual([]);

    writeFiles(dir, {
      'play.yml': `- hosts: all\n  gather_facts: false\n${prompt(`${SECRET}(`)}  tasks:\n    - debug: msg="{{ 'x' | regex_search(pw) }}"\n`,
    });
    const re = playCli(dir);
    expect(re.code).toBe(1);
    expect(re.stderr).toMatch(/play\.yml:6:\d+: not a regular expression: Unterminated group/);
    expect(leaks(re.stdout + re.stderr)).toEqual([]);
  });

  it('what templates compute from a secret is masked in text, JSON and --diff; the files hold the real values', () => {
    const dir = workspace();
    writeFiles(dir, {
      'hosts.ini': 'h1 ansible_connection=local\n',
      'templates/t.j2': 'upper={{ pw | upper }} b64={{ pw | b64encode }} host={{ inventory_hostname }}\n',
      'play.yml': `- hosts: all
  gather_facts: false
${prompt(SECRET)}  tasks:
    - template: { src: t.j2, dest: ${join(dir, 'out.conf')} }
    - copy: { content: "x={{ pw | lower }}\\ny={{ 'a-' ~ pw }}\\n", dest: ${join(dir, 'out2.conf')} }
    - debug: msg="{{ pw | b64encode }}"
    - set_fact: { derived: "{{ pw | upper }}" }
    - debug: var=derived
`,
    });
    const text = playCli(dir, '--diff', '-v');
    expect(text.code).toBe(0);
    expect(leaks(text.stdout + text.stderr)).toEqual([]);
    // not everything is hidden: the diff still shows what is not a secret
    expect(text.stdout).toContain('+upper=******** b64=******** host=h1');
    expect(text.stdout).toContain('+y=a-********');
    expect(readFileSync(join(dir, 'out.conf'), 'utf8')).toBe(
      `upper=${SECRET.toUpperCase()} b64=${Buffer.from(SECRET).toString('base64')} host=h1\n`,
    );
    // a second run: unchanged files, nothing printed from them; JSON as well
    writeFiles(dir, { 'templates/t.j2': 'upper={{ pw | upper }}!\n' });
    const json = playCli(dir, '--diff', '--json');
    expect(json.code).toBe(0);
    expect(json.stdout).toContain('"status":"changed"');
    expect(leaks(json.stdout + json.stderr)).toEqual([]);
    expect(existsSync(join(dir, 'out2.conf'))).toBe(true);
  });
});
