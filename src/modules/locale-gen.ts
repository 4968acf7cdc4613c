/**
 * `community.general.locale_gen`: locales generated or not, as the collection's module does it on
 * Debian (its glibc mechanism): `locale -a` says what is there; a change edits /etc/locale.gen
 * (uncommenting or commenting the locale's line) and runs locale-gen. A converged run reads
 * `locale -a` only.
 */
import { sh } from '../transport/shell.ts';
import { contentChanges } from './content.ts';
import { escapeRe } from './system.ts';
import { defineModule } from './types.ts';

interface LocaleGenParams {
  name: string | string[];
  state?: 'present' | 'absent';
}

const LOCALE_GEN = '/etc/locale.gen';
const SUPPORTED = '/usr/share/i18n/SUPPORTED';

/** `locale -a` writes encodings in lower case (en_US.utf8): the module's LOCALE_NORMALIZATION. */
const NORMALIZE: Array<[string, string]> = [
  ['.utf8', '.UTF-8'],
  ['.eucjp', '.EUC-JP'],
  ['.iso885915', '.ISO-8859-15'],
  ['.cp1251', '.CP1251'],
  ['.koi8r', '.KOI8-R'],
  ['.armscii8', '.ARMSCII-8'],
  ['.euckr', '.EUC-KR'],
  ['.gbk', '.GBK'],
  ['.gb18030', '.GB18030'],
  ['.euctw', '.EUC-TW'],
];
const fixCase = (name: string) => NORMALIZE.reduce((n, [from, to]) => n.replaceAll(from, to), name);

/** The module's edit of /etc/locale.gen: `#? NAME charset` lines (un)commented, the rest kept. */
export function editLocaleGen(text: string, names: string[], enabled: boolean): string {
  const lines = text.split(/(?<=\n)/);
  return lines
    .map((line) =>
      names.reduce(
        (l, name) =>
          l.replace(new RegExp(`^#?\\s*${escapeRe(name)} (.+)`), (_m, charset: string) =>
            enabled ? `${name} ${charset}` : `# ${name} ${charset}`,
          ),
        line,
      ),
    )
    .join('');
}

export const localeGenModule = defineModule<LocaleGenParams>({
  name: 'locale_gen',
  aliases: ['community.general.locale_gen'],
  schema: {
    type: 'object',
    properties: {
      name: {
        anyOf: [
          { type: 'string', minLength: 1 },
          { type: 'array', items: { type: 'string', minLength: 1 }, minItems: 1 },
        ],
      },
      state: { enum: ['present', 'absent'] },
    },
    required: ['name'],
    additionalProperties: false,
  },
  async plan(ctx, p) {
    const names = [p.name].flat();
    const r = await ctx.probe(
      sh`if [ -e ${LOCALE_GEN} ]; then echo glibc; elif [ -d /var/lib/locales/supported.d ]; then echo legacy; else echo none; fi; locale -a 2>/dev/null || true`,
    );
    const [mechanism, ...have] = r.stdout.split('\n');
    if (mechanism === 'none')
      return {
        changes: [],
        failed: `/var/lib/locales/supported.d and ${LOCALE_GEN} are missing. Is the package "locales" installed?`,
      };
    if (mechanism !== 'glibc')
      return {
        changes: [],
        failed: `only the glibc mechanism (${LOCALE_GEN}) is supported, as on Debian 11+`,
      };
    const generated = new Set(have.map(fixCase));
    const missing = names.filter((n) => !generated.has(fixCase(n)));
    // as the module: present means every locale given is there
    const present = missing.length === 0;
    if (missing.length) {
      const supported = await ctx.probePath(SUPPORTED, { content: true });
      const text = supported.kind === 'file' ? (supported.content ?? '') : '';
      const known = new Set(
        text
          .split('\n')
          .map((l: string) => /^\s*#?\s*(\S+[._\S]+) (\S+)\s*$/.exec(l)?.[1])
          .filter(Boolean),
      );
      const unknown = missing.filter((n) => !known.has(n));
      if (unknown.length)
        return {
          changes: [],
          failed: `The following locales you have entered are not available on your system: ${unknown.join(', ')}`,
        };
    }
    const want = (p.state ?? 'present') === 'present';
    if (want === present) return { changes: [], result: { name: names, mechanism } };
    const file = await ctx.probePath(LOCALE_GEN, { content: true });
    const edited = editLocaleGen(file.kind === 'file' ? (file.content ?? '') : '', names, want);
    return {
      changes: [
        ...contentChanges(LOCALE_GEN, file, edited, {}),
        {
          summary: `${want ? 'generate' : 'remove'} ${names.join(', ')}`,
          action: { kind: 'exec', command: 'locale-gen' },
        },
      ],
      result: { name: names, mechanism },
    };
  },
});
