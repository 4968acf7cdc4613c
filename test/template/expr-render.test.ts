import Handlebars from 'handlebars';
import { describe, expect, it } from 'vitest';
import { evaluateCondition, evaluateWhen } from '../../src/template/expr.ts';
import { MissingVariable, renderDeep, renderFile, renderString } from '../../src/template/render.ts';
import { Unknown } from '../../src/template/unknown.ts';

const vars = {
  n: 3,
  s: 'cp1',
  yes: 'yes',
  list: ['a', 'b'],
  d: { k: { deep: 1 } },
  r: { rc: 0, changed: true, failed: false, stdout: 'ok' },
};

describe('expression language', () => {
  it.each([
    ['n == 3', true],
    ['n != 3', false],
    ['n >= 3 and n < 4', true],
    ['n > 5 or s == "cp1"', true],
    ['not (n > 1)', false],
    ["'a' in list", true],
    ["'z' not in list", true],
    ["'p1' in s", true],
    ['missing is defined', false],
    ['missing is not defined', true],
    ['d.k.deep == 1', true],
    ["d['k']['deep'] == 1", true],
    ['list[-1] == "b"', true],
    ['yes | bool', true],
    ['missing | default(7) == 7', true],
    ['list | length == 2', true],
    ['r is changed and r is succeeded', true],
    ['r.rc == 0', true],
    ['true', true],
    ['None is none', true],
  ])('%s -> %s', (src, expected) => {
    expect(evaluateCondition(src, vars).value).toBe(expected);
  });

  it('a list of conditions means all of them', () => {
    expect(evaluateWhen(['n == 3', 's == "cp1"'], vars).value).toBe(true);
    expect(evaluateWhen(['n == 3', 's == "w1"'], vars).value).toBe(false);
  });

  it('never evaluates JavaScript', () => {
    // names are template variables, never the JavaScript around the engine
    expect(() => evaluateCondition('process.exit(1)', vars)).toThrow(/"process" is undefined/);
    expect(() => evaluateCondition('n; 1', vars)).toThrow(/unexpected/);
    expect(() => evaluateCondition("''.constructor.constructor('return 1')()", vars)).toThrow(
      /unknown method|undefined/,
    );
  });

  it('reports a dependency on values known after apply', () => {
    const r = evaluateCondition('out.rc == 0', { out: { rc: new Unknown('cmd') } });
    expect(r.unknown).toBeInstanceOf(Unknown);
  });
});

describe('templates', () => {
  it('renders strings and keeps the type of a lone variable', () => {
    expect(renderString('host {{ s }} has {{ n }}', vars)).toBe('host cp1 has 3');
    expect(renderString('{{ list }}', vars)).toEqual(['a', 'b']);
    expect(renderString('{{ d.k.deep }}', vars)).toBe(1);
    expect(renderDeep({ a: ['{{ s }}'], b: 2 }, vars)).toEqual({ a: ['cp1'], b: 2 });
  });

  it('is strict: a missing variable is an error naming it', () => {
    expect(() => renderString('{{ nope }}', vars)).toThrow(MissingVariable);
    expect(() => renderString('x {{ d.nope }}', vars)).toThrow(/undefined variable "d.nope"/);
    expect(() => renderFile('name = {{ s }}\nx = {{ d.k.nope }}\n', vars)).toThrow(
      /undefined variable "d.k.nope" in "\(template file\)"/,
    );
    // the same through Handlebars (a block makes the text not plain)
    expect(() => renderFile('{{#if s}}x = {{ d.k.nope }}{{/if}}\n', vars)).toThrow(
      /undefined variable "d.k.nope" in "\(template file\)"/,
    );
  });

  it('names the whole path when a parent is missing, on any line of the template', () => {
    const missing = (t: string) => {
      try {
        renderString(t, vars);
      } catch (e) {
        return (e as MissingVariable).variable;
      }
      return 'rendered';
    };
    expect(missing('session {{ out.stdout }}')).toBe('out.stdout');
    expect(missing('a\nb {{ s }} {{ reg.stat.exists }}')).toBe('reg.stat.exists');
  });

  it('renders plain {{ path }} text and files exactly as Handlebars does (it skips Handlebars there)', () => {
    const values = {
      s: 'cp1',
      n: 0,
      f: false,
      t: true,
      nul: null,
      list: ['a', 'b'],
      obj: { k: 1 },
      d: { k: { deep: 'x' } },
      amp: '<a & "b">',
    };
    const hb = Handlebars.create();
    hb.registerHelper('upper', (v: unknown) => String(v).toUpperCase());
    for (const t of [
      'host {{ s }}!',
      '{{s}}-{{ n }}-{{ f }}-{{ t }}-{{ nul }}',
      'l={{ list }} o={{ obj }} d={{ d.k.deep }} {{ amp }}',
      '{{ s }}\n{{ d.k }}',
      'a {{{ amp }}} b',
      'x \\{{ s }} y',
      '{{~ s ~}} z',
      '{{ upper s }} {{ s }}',
      '# file\nname = {{ s }}\n{{!-- note --}}\n{{#if t}}on{{/if}}\n',
      '# file\nname = {{ s }}\nrole = node\n',
    ]) {
      const expected = hb.compile(t, { strict: true, noEscape: true })(values);
      expect(renderFile(t, values), t).toBe(expected);
    }
  });

  it('does not HTML-escape', () => {
    expect(renderString('{{ v }}!', { v: '<a & b>' })).toBe('<a & b>!');
  });

  it('turns a value known after apply into Unknown', () => {
    expect(renderString('token {{ t }}', { t: new Unknown('t') })).toBeInstanceOf(Unknown);
  });

  it('gives Unknown, not a failure, where a template fails on a value known after apply', () => {
    // ansible-lockdown's CIS roles build a dict from a command's stdout_lines, in a check run too
    const build =
      '{%- set d = {} -%}{%- for line in out.stdout_lines -%}{%- set f = line.split() -%}' +
      '{%- set _ = d.update({f[1]: f[3][1:-1].split(",")}) -%}{%- endfor -%}{{ d }}';
    expect(renderString(build, { out: { stdout_lines: new Unknown('cmd') } })).toBeInstanceOf(Unknown);
    expect(renderString(build, { out: { stdout_lines: ['a /x t (rw,b)'] } })).toEqual({ '/x': ['rw', 'b'] });
    expect(
      renderString('{{ out.stdout_lines[3].split()[1] }}', { out: { stdout_lines: new Unknown('c') } }),
    ).toBeInstanceOf(Unknown);
    expect(
      evaluateCondition("out.stdout_lines[3].split()[1] == 'x'", { out: { stdout_lines: new Unknown('c') } })
        .unknown,
    ).toBeInstanceOf(Unknown);
    // the same failure on known values is still one
    expect(() =>
      renderString('{{ out.stdout_lines[3].split()[1] }}', { out: { stdout_lines: ['a'] } }),
    ).toThrow();
  });
});
