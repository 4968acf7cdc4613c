/**
 * Python's string formatting and the builtin collection's names in quorum's Jinja2 (the corpus,
 * test/corpus/expressions.yml, holds the values to ansible-core 2.19 and 2.14): here, what the
 * corpus cannot show, the rewrite's edges and the refusals with their place.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderString } from '../../src/template/render.ts';
import { quorum } from '../helpers/cli.ts';
import { workspace, writeFiles } from '../helpers/run-local.ts';

const vars = { fmt: '%s!', items: ['a', 'b'], d: { k: 'v' }, n: 7 };
const render = (t: string) => renderString(t, vars);

describe('Python string formatting', () => {
  it('takes a tuple written as one as the arguments, any other value (a list too) as one', () => {
    expect(render("{{ '%s|%s' % ('a', 'b') }}")).toBe('a|b');
    expect(render("{{ '%s' % (items) }}x")).toBe("['a', 'b']x");
    expect(render("{{ '%(k)s' % d }}")).toBe('v');
    expect(() => render("{{ '%s|%s' % items }}")).toThrow(/not enough arguments for format string/);
    expect(() => render("{{ '%s' % ('a', 'b') }}")).toThrow(/not all arguments converted/);
  });

  it('binds filters and tests to the right operand, and leaves + and ~ outside it', () => {
    expect(render("{{ '%d' % items | length ~ '!' }}")).toBe('2!');
    // as in Python: ('%d' % 7) + 1 adds a number to text
    expect(() => render("{{ '%d' % n + 1 }}")).toThrow(/\+ operator on unsupported types string and number/);
    expect(render("{{ 'n=%s' % n is odd ~ '.' }}")).toBe('n=True.');
    expect(render("{{ ('%03d' % n)[1:] }}")).toBe('07');
  });

  it("keeps % between numbers the modulo, and a format held in a variable the engine's error", () => {
    expect(render('{{ n % 4 }}')).toBe(3);
    expect(() => render('{{ fmt % n }}')).toThrow(/% operator on unsupported types/);
  });

  it('splits str.format keyword arguments from positional ones', () => {
    expect(render("{{ '{0}{k}{1}'.format('a', 'b', k='-') }}")).toBe('a-b');
    expect(render("{{ 'x{k}'.format(k=d) }}")).toBe("x{'k': 'v'}");
    expect(render("{{ 'x{}'.format(d) }}")).toBe("x{'k': 'v'}");
    expect(() => render("{{ '{0.k}'.format(d) }}")).toThrow(/'dict' object has no attribute 'k'/);
    expect(() => render('{{ n.format() }}')).toThrow(/'int' object has no attribute 'format'/);
  });
});

describe('ansible.builtin names', () => {
  it('are the short names; another collection is refused by validate with its place', () => {
    expect(render("{{ items | ansible.builtin.union(['c']) | ansible.legacy.join(',') }}")).toBe('a,b,c');
    expect(render('{{ n is ansible.builtin.odd }}')).toBe(true);
    const dir = workspace();
    writeFiles(dir, {
      'hosts.ini': 'h ansible_connection=local\n',
      'play.yml':
        '- hosts: all\n  tasks:\n    - debug:\n        msg: "{{ [1] | community.general.hashids_encode }}"\n',
    });
    const r = quorum(['validate', join(dir, 'play.yml'), '-i', join(dir, 'hosts.ini')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /play\.yml:4:\d+: filter "community\.general\.hashids_encode" is from a collection quorum does not carry/,
    );
  });
});
