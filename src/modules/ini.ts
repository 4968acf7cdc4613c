/** `ini_file`: one option (or a whole section) of an INI file, edited on the controller. */

import { pyText } from './args.ts';
import { type EditParams, planEdit } from './lines.ts';
import { defineModule } from './types.ts';

export interface IniParams extends EditParams {
  section?: string | null;
  option?: string;
  value?: string | number | boolean;
  no_extra_spaces?: boolean;
}

const header = (line: string) => /^\s*\[([^\]]*)\]\s*$/.exec(line)?.[1];
const optionOf = (line: string) =>
  /^\s*([^#;=\s][^=]*?)\s*=/.exec(line)?.[1] ?? /^\s*([^#;=\s[]\S*)\s*$/.exec(line)?.[1];

/** The file with the option set (or removed), as Ansible's ini_file writes it. */
export function editIni(text: string, p: IniParams): string {
  const lines = text === '' ? [] : text.replace(/\n$/, '').split('\n');
  const section = p.section ?? null;
  // [start, end) of the section's lines after its header; the global section starts at 0
  let start = section === null ? 0 : -1;
  let end = lines.length;
  for (let i = 0; i < lines.length; i++) {
    const h = header(lines[i]);
    if (h === undefined) continue;
    if (start >= 0) {
      end = i;
      break;
    }
    if (h === section) start = i + 1;
  }
  const absent = (p.state ?? 'present') === 'absent';
  const value = p.value === undefined ? undefined : pyText(p.value);
  const line =
    p.option === undefined
      ? undefined
      : value === undefined
        ? p.option
        : p.no_extra_spaces
          ? `${p.option}=${value}`
          : `${p.option} = ${value}`;
  if (absent) {
    if (start < 0) return text;
    if (p.option === undefined) {
      if (section !== null) lines.splice(start - 1, end - start + 1);
    } else for (let i = end - 1; i >= start; i--) if (optionOf(lines[i]) === p.option) lines.splice(i, 1);
    return lines.length ? `${lines.join('\n')}\n` : '';
  }
  if (start < 0) {
    lines.push(`[${section}]`);
    if (line !== undefined) lines.push(line);
    return `${lines.join('\n')}\n`;
  }
  if (line !== undefined) {
    const at = lines.slice(start, end).findIndex((l) => optionOf(l) === p.option);
    if (at >= 0) lines[start + at] = line;
    else {
      // after the section's last non-blank line
      let i = end;
      while (i > start && lines[i - 1].trim() === '') i--;
      lines.splice(i, 0, line);
    }
  }
  return `${lines.join('\n')}\n`;
}

export const iniFileModule = defineModule<IniParams>({
  name: 'ini_file',
  aliases: ['community.general.ini_file'],
  paramAliases: { dest: 'path' },
  schema: {
    type: 'object',
    properties: {
      path: { type: 'string', minLength: 1 },
      section: { type: ['string', 'null'] },
      option: { type: 'string' },
      value: { type: ['string', 'number', 'boolean'] },
      state: { enum: ['present', 'absent'] },
      no_extra_spaces: { type: 'boolean' },
      create: { type: 'boolean', default: true },
      mode: { type: ['string', 'integer'] },
      owner: { type: 'string' },
      group: { type: 'string' },
    },
    required: ['path'],
    additionalProperties: false,
  },
  plan(ctx, p) {
    return planEdit(ctx, { create: true, ...p }, (text) => editIni(text, p));
  },
});
