/**
 * What validate can know about Jinja2 source before any host is touched: that it parses, and
 * that every filter, test and lookup it names exists in quorum. Anything else would fail only
 * on a host, after other steps changed it, or (worse) be passed through.
 */

import { compileCheck, JinjaError } from './engine.ts';
import { onlyPlainPaths, simpleCondition } from './fast.ts';
import { FILTERS } from './filters.ts';
import { GENERAL_FILTERS } from './general-filters.ts';
import { HWADDR_FILTERS } from './hwaddr.ts';
import { IP_RANGE_FILTERS } from './ip-ranges.ts';
import { IPADDR_FILTERS } from './ipaddr.ts';
import { JINJA2_FILTERS } from './jinja2-filters.ts';
import { LOOKUPS, lookupName, pythonLookupOf } from './lookups.ts';
import { MUTATORS, rewriteMutations } from './mutations.ts';
import { coreFilter, isPluginEngineName, pluginFilter } from './python-filters.ts';
import { rewrite } from './rewrite.ts';
import { ScanError, scan, type Tok } from './scan.ts';
import { templateRefs } from './template-imports.ts';
import { TESTS } from './tests.ts';
import { UTILS_FILTERS } from './utils-filters.ts';

/** minijinja's own (probed against minijinja-js 2.11 with Python compatibility on). */
const ENGINE_FILTERS =
  'abs attr batch bool capitalize count d default dictsort escape e first float groupby indent int items join last length lines list lower map max min pprint reject rejectattr replace reverse round safe select selectattr slice sort split string sum title tojson trim truncate unique upper chain filesizeformat striptags';
const ENGINE_TESTS =
  'defined undefined none number string sequence mapping iterable odd even divisibleby eq equalto ne lt gt le ge lessthan greaterthan in true false boolean float integer startingwith endingwith lower upper sameas safe escaped filter test';
/** Filters only named in full (ansible.utils.ipaddr), as in Ansible. */
const FULL_NAME_ONLY = new Set([
  ...Object.keys(IPADDR_FILTERS),
  ...Object.keys(IP_RANGE_FILTERS),
  ...Object.keys(UTILS_FILTERS),
  ...Object.keys(HWADDR_FILTERS),
  // random_mac's short name is routed to community.general by ansible-core's runtime.yml
  ...Object.keys(GENERAL_FILTERS).filter((f) => f !== 'random_mac'),
]);

export const KNOWN_FILTERS = new Set([
  ...ENGINE_FILTERS.split(' '),
  ...Object.keys(FILTERS),
  ...Object.keys(JINJA2_FILTERS).filter((n) => !n.startsWith('__')),
]);
export const KNOWN_TESTS = new Set([...ENGINE_TESTS.split(' '), ...Object.keys(TESTS)]);

export interface JinjaProblem {
  message: string;
  /** Offset into the source. */
  offset: number;
  /** Only an in-place call, in a template file: ansible-core's templar can render it (ansible-render.ts). */
  ansibleCan?: true;
}

/** `a.b.c` written without spaces from token i on (a collection's FQCN), or undefined. */
function dottedName(toks: Tok[], i: number): string | undefined {
  let name = toks[i].v;
  let j = i;
  while (toks[j + 1]?.v === '.' && toks[j + 2]?.k === 'name' && toks[j + 1].start === toks[j].end) {
    name += `.${toks[j + 2].v}`;
    j += 2;
  }
  return j > i ? name : undefined;
}

/** The first problem in `source`, or undefined. */
export function jinjaCheck(
  source: string,
  expression = false,
  /** A template file, whose include and import statements quorum runs (template-imports.ts). */
  templateFile = false,
): JinjaProblem | undefined {
  let blocks: ReturnType<typeof scan>;
  try {
    blocks = scan(source, expression);
  } catch (e) {
    if (e instanceof ScanError) return { message: e.message, offset: e.offset };
    throw e;
  }
  // in-place calls of the shape mutations.ts rewrites run; the others are refused below
  let handled: Set<number> | undefined;
  const rewritten = () => {
    handled ??= (expression ? undefined : rewriteMutations(source)?.handled) ?? new Set();
    return handled;
  };
  let inPlace: JinjaProblem | undefined;
  for (const b of blocks) {
    const toks = b.toks;
    for (let i = 0; i < toks.length; i++) {
      const t = toks[i];
      const prev = toks[i - 1];
      if (t.k !== 'name') continue;
      // a filter block ({% filter upper %}) names a filter too
      const isFilter =
        (prev?.k === 'op' && prev.v === '|') || (prev?.v === 'filter' && i === 1 && b.kind === 'stmt');
      const isTest = prev?.v === 'is' || (prev?.v === 'not' && toks[i - 2]?.v === 'is');
      const collection = dottedName(toks, i);
      if ((isFilter || isTest) && collection)
        return {
          message: `${isFilter ? 'filter' : 'test'} "${collection}" is from a collection quorum does not carry (it has ansible.builtin's and the short names in "Jinja2" in the README)`,
          offset: t.start,
        };
      // ansible.utils' filters have no short name in ansible-core 2.19 ("No filter named 'ipaddr'")
      if (isFilter && FULL_NAME_ONLY.has(t.v) && !t.fqcn)
        return {
          message: `no filter named "${t.v}": ansible-core 2.19 finds it only by its full name, ansible.utils.${t.v}`,
          offset: t.start,
        };
      if (
        isFilter &&
        !KNOWN_FILTERS.has(t.v) &&
        !pluginFilter(t.v) &&
        !isPluginEngineName(t.v, 'filter') &&
        !coreFilter(t.v, (n) => KNOWN_FILTERS.has(n))
      )
        return {
          message: `unknown filter "${t.v}" (quorum's filters: see "Jinja2" in the README)`,
          offset: t.start,
        };
      if (
        isTest &&
        !KNOWN_TESTS.has(t.v) &&
        !['not', 'none', 'true', 'false'].includes(t.v) &&
        !pluginFilter(t.v, 'test') &&
        !isPluginEngineName(t.v, 'test')
      )
        return { message: `unknown test "${t.v}"`, offset: t.start };
      if (
        MUTATORS.has(t.v) &&
        prev?.k === 'op' &&
        prev.v === '.' &&
        toks[i + 1]?.v === '(' &&
        !rewritten().has(t.start)
      ) {
        const problem = {
          message: `.${t.v}() changes a list or dict in place, which quorum's Jinja2 engine cannot do (its values are immutable); build a new value instead: \`{% set l = l + [x] %}\`, \`d | combine({...})\`, a namespace() inside loops`,
          offset: t.start,
        };
        // a template file ansible-core's templar can render instead (ansible-render.ts): any other problem first
        if (!templateFile) return problem;
        inPlace ??= { ...problem, ansibleCan: true };
      }
      if (['lookup', 'query', 'q'].includes(t.v) && toks[i + 1]?.v === '(') {
        const name = toks[i + 2];
        if (name?.k === 'str' && !LOOKUPS.has(lookupName(name.v)) && !pythonLookupOf(name.v))
          return {
            message: `lookup "${name.v}" is not supported (quorum has ${[...LOOKUPS].join(', ')}; no lookup_plugins/ folder, installed collection or ansible-core on this machine has it)`,
            offset: name.start,
          };
      }
    }
    const first = b.toks[0];
    if (b.kind === 'stmt' && first && ['include', 'import', 'from', 'extends'].includes(first.v)) {
      if (!templateFile)
        return {
          message: `{% ${first.v} %} outside a template file: quorum reads the files a template names for template files only (the template module, lookup('template'))`,
          offset: first.start,
        };
      const refs = templateRefs([b]);
      if (!Array.isArray(refs)) return refs;
    }
  }
  // ansible-core's templar parses such a file (Jinja2 takes more than the engine: a block in a macro)
  if (inPlace) return inPlace;
  // plain variable paths cannot hold a syntax error: the engine is not loaded for them
  if (!expression && onlyPlainPaths(source)) return undefined;
  if (expression && simpleCondition(source)) return undefined;
  try {
    // compiled as it will run: Python's string escapes made minijinja's (see rewrite.ts)
    compileCheck(rewrite(source, blocks, {}).source, expression);
  } catch (e) {
    if (!(e instanceof JinjaError)) throw e;
    const lineStart = e.line
      ? source
          .split('\n')
          .slice(0, e.line - 1)
          .join('\n').length + (e.line > 1 ? 1 : 0)
      : 0;
    return { message: e.message, offset: lineStart };
  }
  return undefined;
}
