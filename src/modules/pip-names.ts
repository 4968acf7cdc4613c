/**
 * pip's `name` as 2.19's module reads it: a list whose entries may be split at commas inside a
 * specifier (`django>1.11,<2` given as two entries is put back together: _recover_package_name),
 * each a requirement (`name[extras] specifiers`) whose installed version is compared with
 * PEP 440 (pep440.ts), or anything else pip takes (a URL, a path, a VCS spec), which is never
 * taken for installed, as the module's Package.is_satisfied_by.
 */
import { satisfies } from './pep440.ts';

const OPERATORS = ['~=', '===', '==', '!=', '<=', '>=', '<', '>'];
const VCS = /^(svn|git|hg|bzr)\+/;

export const isVcs = (name: string) => VCS.test(name);

/** The names as the module recovers them from the user's list. */
export function recoverNames(names: string[]): string[] {
  const parts = names.flatMap((n) => n.split(','));
  const out: string[] = [];
  let inBrackets = false;
  for (const part of parts) {
    const isName = !OPERATORS.some((op) => part.trimStart().startsWith(op));
    if (isName && !inBrackets) out.push(part);
    else out[out.length - 1] = `${out.at(-1) ?? ''},${part}`;
    if (part.includes('[')) inBrackets = true;
    if (part.includes(']')) inBrackets = false;
  }
  return out;
}

export interface Requirement {
  /** What the module passes to pip (`name==version` when `version` is given). */
  text: string;
  /** PEP 503's name, for a requirement the module can read. */
  project?: string;
  specifiers: string;
}

const REQUIREMENT =
  /^\s*([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)\s*(\[[^\]]*\])?\s*(\(?)([^;@()]*)\)?\s*$/;

/** PEP 503: runs of `-`, `_` and `.` are one `-`, lower case. */
export const canonical = (name: string) => name.replace(/[-_.]+/g, '-').toLowerCase();

export function requirement(name: string, version?: string): Requirement {
  const v = version?.trimStart();
  const text = v ? `${name}${/^\d/.test(v) ? '==' : ' '}${v}` : name;
  const m = REQUIREMENT.exec(text);
  if (!m) return { text: name, specifiers: '' };
  return { text, project: canonical(m[1]), specifiers: m[4].trim() };
}

/** Whether `pip list --format=freeze` output has a version of `req` that satisfies it. */
export function isPresent(req: Requirement, freeze: string): boolean {
  if (!req.project) return false;
  for (const line of freeze.split('\n')) {
    const [name, version] = line.split('==');
    if (version === undefined || canonical(name) !== req.project) continue;
    try {
      if (satisfies(version.trim(), req.specifiers)) return true;
    } catch {
      return false;
    }
  }
  return false;
}

/** The module's argument errors about names and version, in its words. */
export function nameErrors(names: string[], version: string | undefined): string[] {
  if (version === undefined) return [];
  const reqs = recoverNames(names).map((n) => requirement(n));
  if (reqs.length > 1)
    return [
      "'version' argument is ambiguous when installing multiple package distributions. Please specify version restrictions next to each package in 'name' argument.",
    ];
  if (reqs[0]?.specifiers)
    return [
      "The 'version' argument conflicts with any version specifier provided along with a package name. Please keep the version specifier, but remove the 'version' argument.",
    ];
  return [];
}
