/**
 * What goes to the host to run a module of the content's own, and what comes back. The payload
 * (the module, the module_utils it imports, its arguments) travels gzipped on stdin to a small
 * Python program that writes it to a private temporary folder, runs the module as ansible-core
 * runs one (a Python module with its arguments file, as ansible-core's own debugging entry takes
 * it; a script given the file of its JSON or key=value arguments), and answers with the module's
 * exit code, stdout and stderr in one JSON line. The folder goes whatever happens.
 */
import { gzipSync } from 'node:zlib';
import { quote } from '../../transport/shell.ts';
import type { LibraryModule } from './find.ts';
import { type AnsibleInstall, ansibleInstall, moduleUtilsFiles, type UtilsSources } from './module-utils.ts';

const BOOTSTRAP = `
import gzip, json, os, shlex, shutil, subprocess, sys, tempfile
p = json.loads(gzip.decompress(sys.stdin.buffer.read()))
d = tempfile.mkdtemp(prefix='quorum-module-')
try:
    for name, text in p['files'].items():
        path = os.path.join(d, name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, 'w', encoding='utf-8') as f:
            f.write(text)
    a = p['args']
    a['_ansible_tmpdir'] = d
    args = os.path.join(d, 'args')
    with open(args, 'w', encoding='utf-8') as f:
        if p['style'] == 'old':
            f.write(''.join('%s=%s ' % (k, shlex.quote(str(v))) for k, v in a.items()))
        elif p['style'] == 'python':
            json.dump({'ANSIBLE_MODULE_ARGS': a}, f)
        else:
            json.dump(a, f)
    main = os.path.join(d, p['main'])
    if p['style'] == 'python':
        cmd = [sys.executable, '-m', p['run_as'], args] if p.get('run_as') else [sys.executable, main, args]
        env = dict(os.environ, PYTHONPATH=d)
    else:
        cmd, env = p['interpreter'] + [main, args], None
    r = subprocess.run(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    out = {'rc': r.returncode, 'stdout': r.stdout.decode('utf-8', 'replace'), 'stderr': r.stderr.decode('utf-8', 'replace')}
finally:
    shutil.rmtree(d, ignore_errors=True)
sys.stdout.write(json.dumps(out))
`;

/** The host's Python: the inventory's ansible_python_interpreter, else Debian's, else PATH's. */
export function bootstrapCommand(python: string | undefined): string {
  const py = python ? quote(python) : '"$(command -v /usr/bin/python3 || command -v python3)"';
  return `${py} -c ${quote(BOOTSTRAP)}`;
}

export interface Prepared {
  module: LibraryModule;
  files: Record<string, string>;
  /** The payload's file to run, or (a collection's module) the dotted name to run with -m. */
  main: string;
  runAs?: string;
  version: string;
}

const prepared = new Map<string, Prepared | Error>();

/** The module and, for a Python one, the module_utils it needs: once per module file and run. */
export function prepare(module: LibraryModule, from: UtilsSources): Prepared {
  const key = `${module.path}\0${from.own.join('\0')}\0${from.collections.join('\0')}`;
  let ready = prepared.get(key);
  if (!ready) {
    if (module.style !== 'python')
      ready = { module, files: { [module.name]: module.source }, main: module.name, version: '' };
    else {
      const found: AnsibleInstall | Error = ansibleInstall();
      // a collection's module sits in its package (its relative imports start there) and runs with -m
      const pkg = module.package ?? [];
      const main = pkg.length ? `${[...pkg, module.name].join('/')}.py` : `${module.name}.py`;
      ready =
        found instanceof Error
          ? found
          : {
              module,
              files: { ...moduleUtilsFiles(module.source, found, from, pkg), [main]: module.source },
              main,
              runAs: pkg.length ? [...pkg, module.name].join('.') : undefined,
              version: found.version,
            };
    }
    prepared.set(key, ready);
  }
  if (ready instanceof Error) throw ready;
  return ready;
}

/** The arguments ansible-core's action adds (action/__init__.py _update_module_args), where the installed basic.py takes them. */
export function internalArgs(
  ready: Prepared,
  o: { check: boolean; diff: boolean; noLog: boolean; verbosity: number },
): Record<string, unknown> {
  const args: Record<string, unknown> = {
    _ansible_check_mode: o.check,
    _ansible_no_log: o.noLog,
    _ansible_debug: false,
    _ansible_diff: o.diff,
    _ansible_verbosity: o.verbosity,
    _ansible_version: ready.version,
    _ansible_module_name: ready.module.name,
    _ansible_syslog_facility: 'LOG_USER',
    _ansible_selinux_special_fs: ['fuse', 'nfs', 'vboxsf', 'ramfs', '9p', 'vfat'],
    _ansible_string_conversion_action: 'warn',
    _ansible_socket: null,
    _ansible_shell_executable: '/bin/sh',
    _ansible_keep_remote_files: false,
    _ansible_remote_tmp: '~/.ansible/tmp',
    _ansible_ignore_unknown_opts: false,
    _ansible_target_log_info: null,
    _ansible_tracebacks_for: [],
  };
  // an older ansible-core refuses the arguments its basic.py does not know
  const known = ready.files['ansible/module_utils/common/parameters.py'];
  if (known)
    for (const k of Object.keys(args))
      if (!known.includes(`'${k.slice('_ansible_'.length)}': (`)) delete args[k];
  return args;
}

export function payload(ready: Prepared, args: Record<string, unknown>): Buffer {
  const body = {
    files: ready.files,
    main: ready.main,
    run_as: ready.runAs,
    style: ready.module.style,
    interpreter: ready.module.interpreter,
    args,
  };
  return gzipSync(JSON.stringify(body));
}
