/** The -e arguments of play, validate, resume and vars, as Ansible reads them. */
import { InputError } from '../errors.ts';
import { readBoundedText } from '../input-file.ts';
import { shlexSplit } from '../inventory/shlex.ts';
import { loadYaml } from '../yaml/load.ts';

/** `-e k=v k2=v2`, `-e @vars.yml`, `-e '{"json": true}'`, later ones win. */
export function parseExtraVars(args: string[]): Record<string, unknown> {
  let vars: Record<string, unknown> = {};
  for (const arg of args) {
    let parsed: unknown;
    if (arg.startsWith('@')) {
      const file = arg.slice(1);
      let text: string;
      try {
        text = readBoundedText(file, 'the extra vars file');
      } catch (e) {
        if (e instanceof InputError) throw e;
        throw new InputError('EXTRA_VARS', `cannot read extra vars file ${file}`);
      }
      parsed = loadYaml(text, file);
    } else if (/^\s*[{[]/.test(arg)) {
      parsed = loadYaml(arg, '-e');
    } else {
      parsed = {};
      let tokens: string[];
      try {
        tokens = shlexSplit(arg);
      } catch (e) {
        throw new InputError(
          'EXTRA_VARS',
          `-e ${JSON.stringify(arg)}: ${(e as Error).message}`,
          undefined,
          'quote the whole value for your shell, e.g. -e \'k="a b"\', or give JSON: -e \'{"k": "a \\"b"}\'',
        );
      }
      for (const token of tokens) {
        const eq = token.indexOf('=');
        if (eq <= 0)
          throw new InputError('EXTRA_VARS', `-e expects key=value, @file or JSON, got "${token}"`);
        (parsed as Record<string, unknown>)[token.slice(0, eq)] = token.slice(eq + 1);
      }
    }
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
      throw new InputError('EXTRA_VARS', `-e ${arg} must give a mapping of variables`);
    }
    vars = { ...vars, ...(parsed as Record<string, unknown>) };
  }
  return vars;
}
