/**
 * Where the files a template includes or imports are found: Jinja2's FileSystemLoader over the
 * search path Ansible gives it (ansible-core 2.19). The template action searches each folder of
 * the task's search path (its role's first, then the playbook's), each as `templates/` then the
 * folder itself, and last the template's own folder (action/template.py); the template lookup
 * searches the template's own folder first (lookup/template.py). A name is the same file from
 * whichever template names it.
 */
import { statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { InputError } from '../errors.ts';
import { readBoundedText } from '../input-file.ts';
import { loaderPath, type TemplateLoader } from './jinja/template-imports.ts';

/**
 * The template action's loader, from a task's reader of controller files (which looks in each
 * search folder's templates/ and then the folder) and the template's `src` as the task gives it.
 */
export function actionLoader(
  readLocal: (path: string, kind: 'templates') => string,
  src: string,
  localPath?: (path: string, kind: 'templates') => string,
  searchDirs: string[] = [],
): TemplateLoader {
  const own = dirname(localPath?.(src, 'templates') ?? src);
  const load: TemplateLoader = (name) => {
    const rel = loaderPath(name);
    if (rel === undefined) return undefined;
    for (const path of [rel, join(dirname(src), rel)]) {
      try {
        return { text: readLocal(path, 'templates'), file: localPath?.(path, 'templates') ?? path };
      } catch (e) {
        if (!(e instanceof InputError && e.code === 'FILE_MISSING')) throw e;
      }
    }
    return undefined;
  };
  load.searchPath = [...searchDirs, own].flatMap((d) => [join(d, 'templates'), d]);
  return load;
}

/** The template lookup's loader: the file's own folder, then each folder's templates/ and itself. */
export function lookupLoader(file: string, folders: string[]): TemplateLoader {
  const search = [dirname(file), ...folders.flatMap((f) => [join(f, 'templates'), f])];
  const load: TemplateLoader = (name) => {
    const rel = loaderPath(name);
    if (rel === undefined) return undefined;
    for (const dir of search) {
      const path = join(dir, rel);
      if (statSync(path, { throwIfNoEntry: false })?.isFile())
        return { text: readBoundedText(path, 'the template'), file: path };
    }
    return undefined;
  };
  load.searchPath = search;
  return load;
}
