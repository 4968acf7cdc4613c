/**
 * `pip` as ansible-core 2.19's module: Python packages through the host Python's pip (its
 * `-m pip`, else pip3 on PATH), `executable`, or a `virtualenv`'s pip, the virtualenv made
 * first with `virtualenv_command` when its bin/activate is missing. One probe (`pip list
 * --format=freeze` in `chdir`) answers `state: present`/`absent` for names pip can read; what
 * the module always hands to pip (requirements files, extra_args, latest, forcereinstall, URLs)
 * runs, and is a change when pip says it installed something (requirements: the freeze before
 * and after differ), as the module judges it.
 */
import { shlexSplit } from '../inventory/shlex.ts';
import { quote, sh } from '../transport/shell.ts';
import { namedInterpreter } from './library/result.ts';
import { isPresent, isVcs, nameErrors, recoverNames, requirement } from './pip-names.ts';
import { type Change, defineModule } from './types.ts';

/** One name or a list of them. */
export const NAMES = {
  anyOf: [
    { type: 'string', minLength: 1 },
    { type: 'array', items: { type: 'string' }, minItems: 1 },
  ],
};

interface PipParams {
  name?: string | string[];
  state?: 'present' | 'absent' | 'latest' | 'forcereinstall';
  version?: string;
  requirements?: string;
  virtualenv?: string;
  virtualenv_site_packages?: boolean;
  virtualenv_command?: string;
  virtualenv_python?: string;
  extra_args?: string;
  editable?: boolean;
  chdir?: string;
  executable?: string;
  umask?: string;
  break_system_packages?: boolean;
}

const STATE_ARGS = {
  present: ['install'],
  absent: ['uninstall', '-y'],
  latest: ['install', '-U'],
  forcereinstall: ['install', '-U', '--force-reinstall'],
};

const MARK = '\u0001pip';
const FREEZE = `LANG=C.UTF-8 LC_ALL=C.UTF-8 LC_MESSAGES=C.UTF-8 "$@" list --format=freeze 2>/dev/null || "$@" freeze`;

/** -m venv (or pyvenv): a command that takes no -p, as the module's _is_venv_command reads it. */
function isVenvCommand(words: string[]): boolean {
  if (words[0] === 'pyvenv') return true;
  const m = words.slice(1).findIndex((w) => w === '-m' || w.startsWith('-m'));
  if (m < 0) return false;
  const w = words[m + 1];
  return (w === '-m' ? words[m + 2] : w.slice(2)) === 'venv';
}

/**
 * The shell words that set "$@" to the pip the module picks (_get_pip); where there is none,
 * `fail` with the module's message.
 */
function pickPip(
  p: PipParams,
  env: string | undefined,
  python: string,
  fail: (msg: string) => string,
): string {
  if (env) {
    const [pip3, pip] = [`${env}/bin/pip3`, `${env}/bin/pip`];
    return `if [ -x ${quote(pip3)} ] && [ -f ${quote(pip3)} ]; then set -- ${quote(pip3)}; elif [ -x ${quote(pip)} ] && [ -f ${quote(pip)} ]; then set -- ${quote(pip)}; else ${fail(`Unable to find pip in the virtualenv, ${env}, under any of these names: pip3, pip. Make sure pip is present in the virtualenv.`)}; fi`;
  }
  if (p.executable?.startsWith('/')) return `set -- ${quote(p.executable)}`;
  const name = p.executable ?? 'pip3';
  const onPath = `if command -v ${quote(name)} >/dev/null; then set -- "$(command -v ${quote(name)})"; else ${fail(`Unable to find any of ${name} to use.  pip needs to be installed.`)}; fi`;
  if (p.executable) return onPath;
  // no executable, no virtualenv: the module's own Python's pip, where it has one
  return `if ${python} -c 'import importlib.util as u, sys; sys.exit(u.find_spec("pip") is None)' 2>/dev/null; then set -- ${python} -m pip; else ${onPath}; fi`;
}

/**
 * The virtualenv as setup_virtualenv makes it: a bare command found on PATH, site packages as
 * asked (else --no-site-packages where the command's --help lists it), `-p` with
 * virtualenv_python or the module's own Python, except for venv, which takes none.
 */
function makeVenv(p: PipParams, env: string, python: string): string {
  const words = shlexSplit(p.virtualenv_command ?? 'virtualenv');
  const head = words[0].includes('/')
    ? quote(words[0])
    : `"$(command -v ${quote(words[0])} || echo ${quote(`/nonexistent/${words[0]}`)})"`;
  const site = p.virtualenv_site_packages
    ? '--system-site-packages'
    : `$(${head} --help 2>/dev/null | tr ' ' '\\n' | grep -qx -- --no-site-packages && echo --no-site-packages)`;
  const py = isVenvCommand(words)
    ? ''
    : p.virtualenv_python
      ? quote(`-p${p.virtualenv_python}`)
      : `-p${python}`;
  return [head, ...words.slice(1).map((w) => quote(w)), site, py, quote(env)].filter(Boolean).join(' ');
}

export const pipModule = defineModule<PipParams>({
  name: 'pip',
  schema: {
    type: 'object',
    properties: {
      name: NAMES,
      state: { enum: ['present', 'absent', 'latest', 'forcereinstall'] },
      version: { type: 'string' },
      requirements: { type: 'string' },
      virtualenv: { type: 'string' },
      virtualenv_site_packages: { type: 'boolean' },
      virtualenv_command: { type: 'string' },
      virtualenv_python: { type: 'string' },
      extra_args: { type: 'string' },
      editable: { type: 'boolean' },
      chdir: { type: 'string' },
      executable: { type: 'string' },
      umask: { type: 'string' },
      break_system_packages: { type: 'boolean' },
    },
    anyOf: [{ required: ['name'] }, { required: ['requirements'] }],
    additionalProperties: false,
  },
  check(p) {
    const errors: string[] = [];
    if (p.name !== undefined && p.requirements !== undefined)
      errors.push('parameters are mutually exclusive: name|requirements');
    if (p.executable !== undefined && p.virtualenv !== undefined)
      errors.push('parameters are mutually exclusive: executable|virtualenv');
    if (p.state === 'latest' && p.version !== undefined)
      errors.push('version is incompatible with state=latest');
    if (p.umask !== undefined && !/^[0-7]+$/.test(p.umask)) errors.push('umask must be an octal integer');
    if (p.name !== undefined) errors.push(...nameErrors([p.name].flat(), p.version));
    return errors;
  },
  async plan(ctx, p) {
    const state = p.state ?? 'present';
    const python = namedInterpreter(ctx.vars)
      ? quote(namedInterpreter(ctx.vars)!)
      : '"$(command -v /usr/bin/python3 || command -v python3)"';
    const chdir = p.chdir ?? '${TMPDIR:-/tmp}';
    const cd = p.chdir ? sh`cd ${p.chdir}` : 'cd "${TMPDIR:-/tmp}"';
    const env =
      p.virtualenv && p.chdir && !p.virtualenv.startsWith('/') ? `${p.chdir}/${p.virtualenv}` : p.virtualenv;
    let extra: string[] = [];
    try {
      extra = p.extra_args ? shlexSplit(p.extra_args) : [];
    } catch (e) {
      return { changes: [], failed: `extra_args: ${(e as Error).message}`, failedOnInput: true };
    }
    if (p.editable && !extra.includes('-e')) extra.push('-e');
    const reqs = p.name
      ? recoverNames([p.name].flat()).map((n, i) => requirement(n, i === 0 ? p.version : undefined))
      : [];
    const words = [
      ...STATE_ARGS[state],
      ...extra,
      ...(p.name ? reqs.map((r) => r.text) : ['-r', p.requirements!]),
    ];
    const pick = (fail: (msg: string) => string) => pickPip(p, env, python, fail);
    const probe = await ctx.probe(
      `${cd} || exit 3; ${env ? `if [ ! -e ${quote(`${env}/bin/activate`)} ]; then echo ${quote(`${MARK}novenv`)}; exit 0; fi; ` : ''}${pick((msg) => `{ printf '%s\\n' ${quote(`${MARK}fail ${msg}`)}; exit 0; }`)}; printf '%s\\n' ${quote(`${MARK}list`)}; ${FREEZE}`,
    );
    if (probe.code === 3) return { changes: [], failed: `chdir ${chdir}: no such folder` };
    const marker = probe.stdout.split('\n').find((l) => l.startsWith(MARK)) ?? '';
    if (marker.startsWith(`${MARK}fail `))
      return { changes: [], failed: marker.slice(`${MARK}fail `.length) };
    const freeze = probe.stdout.slice(probe.stdout.indexOf(`${MARK}list\n`) + `${MARK}list\n`.length);
    const created = marker === `${MARK}novenv`;
    const always =
      created ||
      !!p.requirements ||
      extra.length > 0 ||
      state === 'latest' ||
      state === 'forcereinstall' ||
      reqs.some((r) => isVcs(r.text));
    const needed =
      state === 'absent' ? reqs.some((r) => isPresent(r, freeze)) : reqs.some((r) => !isPresent(r, freeze));
    const registered = {
      name: p.name === undefined ? null : [p.name].flat(),
      version: p.version ?? null,
      state,
      requirements: p.requirements ?? null,
      virtualenv: env ?? null,
    };
    if (!always && !needed) return { changes: [], result: registered };
    const environment = [
      p.break_system_packages ? 'PIP_BREAK_SYSTEM_PACKAGES=1; export PIP_BREAK_SYSTEM_PACKAGES; ' : '',
      p.umask ? `umask ${p.umask}; ` : '',
      env ? `PATH=${quote(`${env}/bin`)}:"$PATH"; export PATH; ` : '',
    ].join('');
    const install = `"$@" ${words.map((w) => quote(w)).join(' ')}`;
    // the module's judgement of a change, from what pip printed (requirements: the freeze before and after)
    const judged = p.requirements
      ? `before=$(${FREEZE}); ${install} || exit $?; after=$(${FREEZE}); [ "$before" = "$after" ] || echo ${quote(`${MARK}changed`)}`
      : `out=$(${install} 2>&1); rc=$?; printf '%s\\n' "$out"; [ $rc -eq 0 ] || { [ ${state === 'absent' ? 1 : 0} = 1 ] && [ $rc -eq 1 ] && printf '%s' "$out" | grep -q 'not installed'; } || exit $rc; if printf '%s' "$out" | grep -q ${quote(state === 'absent' ? 'Successfully uninstalled' : 'Successfully installed')}; then echo ${quote(`${MARK}changed`)}; fi`;
    const command = `${environment}${cd} || exit 1; ${created ? `${makeVenv(p, env!, python)} >&2 || exit 1; ` : ''}${pick((msg) => `{ echo ${quote(msg)} >&2; exit 1; }`)}; ${judged}${created ? `; echo ${quote(`${MARK}changed`)}` : ''}`;
    const change: Change = {
      summary: `${created ? `make the virtualenv ${env}, then ` : ''}pip ${words.join(' ')}`,
      action: { kind: 'exec', command, errorFromStderr: true },
      changedIf: (stdout) => stdout.includes(`${MARK}changed`),
    };
    return {
      changes: [change],
      unpredictable: always,
      result: registered,
    };
  },
});
