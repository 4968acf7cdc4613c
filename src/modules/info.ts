/** Modules that only read or decide: stat, set_fact, debug, assert. None changes a host. */

import { evaluateCondition } from '../template/expr.ts';
import { pyStr, pyTypeName } from '../template/jinja/values.ts';
import { MissingVariable } from '../template/plain-path.ts';
import { renderString } from '../template/render.ts';
import { templateWarning } from '../template/template-warnings.ts';
import { unsafeStrings } from '../template/unsafe.ts';
import { sh } from '../transport/shell.ts';
import { defineModule } from './types.ts';

/** fail's msg may be any value, as 2.19's action registers it (a list stays a list); its error shows Python's str() of it. */
export const failModule = defineModule<{ msg?: unknown }>({
  name: 'fail',
  freeForm: 'msg',
  schema: { type: 'object', properties: { msg: {} }, additionalProperties: false },
  async plan(_ctx, p) {
    const msg = p.msg ?? 'Failed as requested from task';
    return { changes: [], failed: typeof msg === 'string' ? msg : pyStr(msg), result: { msg } };
  },
});

export const statModule = defineModule<{
  path: string;
  get_checksum?: boolean;
  get_mime?: boolean;
  get_attributes?: boolean;
  checksum_algorithm?: string;
  follow?: boolean;
}>({
  name: 'stat',
  paramAliases: { dest: 'path', name: 'path' },
  schema: {
    type: 'object',
    properties: {
      path: { type: 'string', minLength: 1 },
      get_checksum: { type: 'boolean' },
      // mime type and attributes are not reported: asking for them is allowed, reading them is an undefined error
      get_mime: { type: 'boolean' },
      get_attributes: { type: 'boolean' },
      checksum_algorithm: { enum: ['md5', 'sha1', 'sha224', 'sha256', 'sha384', 'sha512'] },
      follow: { type: 'boolean' },
    },
    required: ['path'],
    additionalProperties: false,
  },
  async plan(ctx, p) {
    // follow: the path a link leads to
    const path = p.follow
      ? (await ctx.probe(`readlink -f ${sh`${p.path}`} || echo ${sh`${p.path}`}`)).stdout.trim() || p.path
      : p.path;
    // Ansible's checksum is sha1 unless told: sha1 and sha256 come with the path's read (batched
    // with the other paths), another algorithm is asked for on its own
    const algorithm = p.checksum_algorithm ?? 'sha1';
    const wanted = p.get_checksum !== false;
    const st = await ctx.probePath(path, {
      checksum: wanted && algorithm === 'sha256',
      sha1: wanted && algorithm === 'sha1',
    });
    if (st.kind === 'absent') return { changes: [], result: { stat: { exists: false } } };
    const checksum =
      st.kind !== 'file' || !wanted
        ? undefined
        : algorithm === 'sha256'
          ? st.checksum
          : algorithm === 'sha1'
            ? st.sha1
            : (await ctx.probe(`${algorithm}sum -- ${sh`${path}`}`)).stdout.split(' ')[0] || undefined;
    return {
      changes: [],
      result: {
        stat: {
          exists: true,
          isreg: st.kind === 'file',
          isdir: st.kind === 'directory',
          islnk: st.kind === 'link',
          mode: st.mode,
          pw_name: st.owner,
          gr_name: st.group,
          ...(st.kind === 'link' ? { lnk_target: st.target } : {}),
          path: p.path,
          ...(checksum ? { checksum } : {}),
        },
      },
    };
  },
});

export const setFactModule = defineModule<Record<string, unknown>>({
  name: 'set_fact',
  plansUnknown: true,
  schema: { type: 'object', minProperties: 1 },
  async plan(ctx, p) {
    // cacheable is set_fact's own keyword (fact caching), not a fact; a key may be a template
    // (dev-sec's `"{{ item.key }}": "{{ item.value }}"`), rendered as the action plugin does
    const { cacheable: _, ...given } = p;
    const facts: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(given)) {
      const name = key.includes('{{') ? String(renderString(key, ctx.vars)) : key;
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name))
        return { changes: [], failed: `Task failed: Invalid variable name '${name}'.` };
      facts[name] = value;
    }
    // its values are templating's results, never templated again (ansible-core 2.19): text with
    // {{ }} in them came from data (an !unsafe value, a command's output) and stays text
    // registered as Ansible's: {ansible_facts: {...}, changed: false}
    const set = unsafeStrings(facts) as Record<string, unknown>;
    return { changes: [], facts: set, result: { ansible_facts: set } };
  },
});

/** Jinja's words for the first undefined step of a dotted path: the variable, or an attribute of a value. */
function undefinedReason(path: string, vars: Record<string, unknown>): string {
  const [root, ...attrs] = path.match(/[^.[\]'"]+/g) ?? [path];
  if (!(root in vars)) return `'${root}' is undefined`;
  let value = vars[root];
  for (const attr of attrs) {
    const next =
      value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[attr] : undefined;
    if (next === undefined) return `object of type '${pyTypeName(value)}' has no attribute '${attr}'`;
    value = next;
  }
  return `'${path}' is undefined`;
}

export const debugModule = defineModule<{ msg?: unknown; var?: string; verbosity?: number }>({
  name: 'debug',
  schema: {
    type: 'object',
    properties: { msg: {}, var: { type: 'string' }, verbosity: { type: 'integer', minimum: 0 } },
    additionalProperties: false,
  },
  async plan(ctx, p) {
    // 2.19's action: above the run's -v count the task is skipped; msg and var registered as given
    if ((p.verbosity ?? 0) > (ctx.verbosity ?? 0))
      return { changes: [], skipped: 'Verbosity threshold not met.' };
    const show = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v));
    if (p.var !== undefined) {
      // var is an expression, as in Ansible (`var: result.stdout_lines`)
      let value: unknown;
      let warnings: string[] | undefined;
      try {
        value = renderString(`{{ ${p.var} }}`, ctx.vars);
      } catch (e) {
        if (!(e instanceof MissingVariable)) throw e;
        // 2.19 shows what is undefined in place of the value, and warns
        const why = undefinedReason(e.variable, ctx.vars);
        value = `<< error 1 - ${why} >>`;
        warnings = [`Encountered 1 template error.\nerror 1 - ${why}`];
        templateWarning(warnings[0]);
      }
      const result = { [p.var]: value, ...(warnings ? { warnings } : {}) };
      return { changes: [], message: `${p.var}: ${JSON.stringify(value)}`, result };
    }
    const msg = p.msg ?? 'Hello world!';
    return { changes: [], message: show(msg), result: { msg } };
  },
});

export const assertModule = defineModule<{
  that: string | string[];
  fail_msg?: string;
  success_msg?: string;
  quiet?: boolean;
}>({
  name: 'assert',
  schema: {
    type: 'object',
    properties: {
      that: {
        anyOf: [
          { type: 'string' },
          { type: 'array', items: { type: ['string', 'boolean'] } },
          { type: 'boolean' },
        ],
      },
      fail_msg: { type: 'string' },
      msg: { type: 'string' },
      success_msg: { type: 'string' },
      quiet: { type: 'boolean' },
    },
    required: ['that'],
    additionalProperties: false,
  },
  async plan(ctx, p) {
    const conditions = Array.isArray(p.that) ? p.that : [p.that];
    for (const c of conditions) {
      const r = evaluateCondition(c, ctx.vars);
      if (r.unknown) return { changes: [], message: `assertion depends on a value known after apply: ${c}` };
      if (!r.value) return { changes: [], failed: p.fail_msg ?? `assertion failed: ${c}` };
    }
    return { changes: [], message: p.quiet ? undefined : (p.success_msg ?? 'all assertions passed') };
  },
});

export const slurpModule = defineModule<{ src: string }>({
  name: 'slurp',
  paramAliases: { path: 'src' },
  schema: {
    type: 'object',
    properties: { src: { type: 'string', minLength: 1 } },
    required: ['src'],
    additionalProperties: false,
  },
  async plan(ctx, p) {
    const r = await ctx.probe(sh`base64 -w0 ${p.src}`);
    if (r.code !== 0) return { changes: [], failed: `cannot read ${p.src}: ${r.stderr.trim()}` };
    const content = r.stdout.trim();
    return {
      changes: [],
      result: { content, encoding: 'base64', text: Buffer.from(content, 'base64').toString('utf8') },
    };
  },
});

/** A read-only command (its output for `register`): a probe, so it also runs in check mode. */
export const queryModule = defineModule<{ cmd: string; ok_codes?: number[]; kept_by?: string[] }>({
  name: 'query',
  prefetch: false,
  schema: {
    type: 'object',
    properties: {
      cmd: { type: 'string', minLength: 1 },
      // exit codes that are answers, not failures (a health check that says "unhealthy")
      ok_codes: { type: 'array', items: { type: 'integer', minimum: 0 } },
      // absolute paths the answer depends on alone (kept-probes.ts)
      kept_by: { type: 'array', minItems: 1, items: { type: 'string', pattern: '^/' } },
    },
    required: ['cmd'],
    additionalProperties: false,
  },
  async plan(ctx, p) {
    const r = p.kept_by && ctx.probeKept ? await ctx.probeKept(p.cmd, p.kept_by) : await ctx.probe(p.cmd);
    if (!(p.ok_codes ?? [0]).includes(r.code))
      return {
        changes: [],
        failed: `${p.cmd} failed (exit ${r.code}): ${r.stderr.trim().split('\n').slice(-3).join(' ')}`,
      };
    return { changes: [], result: { rc: r.code, stdout: r.stdout, stderr: r.stderr } };
  },
});
