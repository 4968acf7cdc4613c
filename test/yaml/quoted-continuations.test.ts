/**
 * Quoted scalars whose continuation lines start at column 0, as roles write long templates
 * (xanmanning.k3s' vars/main.yml): read as PyYAML (ansible-core's reader, Debian's python3-yaml)
 * reads them, held to its safe_load.
 */
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { loadYaml } from '../../src/yaml/load.ts';

const pyyaml = (text: string): unknown =>
  JSON.parse(
    execFileSync(
      '/usr/bin/python3',
      ['-c', 'import json,sys,yaml; print(json.dumps(yaml.safe_load(sys.stdin)))'],
      {
        input: text,
        encoding: 'utf8',
      },
    ),
  );

const DOCS = [
  'a: "{{\n  x | default(1)\n}}"\nb: 2\n',
  'a: \'{{\n  x\n}}\'\nb: "one\n two"\n',
  'a: |\n  "not closed\nb: "{{\n  y\n}}"\n# a "comment\nc: don\'t\n',
  'list:\n  - "{{\n    z\n}}"\n  - k: "x\n y"\n',
  'a: "esc \\" still\n}} open"\n',
];

describe('quoted scalars continued at column 0, as PyYAML reads them', () => {
  it.each(DOCS.map((d) => [d]))('%j', (doc) => {
    expect(loadYaml(doc, 'doc.yml')).toEqual(pyyaml(doc));
  });

  it('still refuses a quote that is never closed, with its place', () => {
    let error: unknown;
    try {
      loadYaml('a: "open\nb: 1\n', 'bad.yml');
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({
      message: 'invalid YAML: Missing closing "quote',
      location: { file: 'bad.yml', line: 3 }, // where the input ended, as PyYAML's "unexpected end of stream"
    });
  });
});
