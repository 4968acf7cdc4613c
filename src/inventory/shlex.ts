/**
 * Python's `shlex.split(line, comments=True)` (POSIX mode), which Ansible uses to split INI
 * host lines: quotes are removed, `#` outside quotes starts a comment even inside a word, a
 * backslash escapes the next character, and an unbalanced quote is an error.
 */
export class ShlexError extends Error {}

export function shlexSplit(line: string): string[] {
  const tokens: string[] = [];
  let token = '';
  let inToken = false; // a quoted empty string still makes a token
  let i = 0;
  while (i < line.length) {
    const c = line[i];
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      if (inToken) tokens.push(token);
      token = '';
      inToken = false;
      i++;
    } else if (c === '#') {
      break;
    } else if (c === '\\') {
      if (i + 1 >= line.length) throw new ShlexError('No escaped character');
      token += line[i + 1];
      inToken = true;
      i += 2;
    } else if (c === "'" || c === '"') {
      inToken = true;
      i++;
      for (;;) {
        if (i >= line.length) throw new ShlexError('No closing quotation');
        const q = line[i];
        if (q === c) {
          i++;
          break;
        }
        // inside double quotes a backslash escapes only the quote and itself
        if (c === '"' && q === '\\' && (line[i + 1] === '"' || line[i + 1] === '\\')) {
          token += line[i + 1];
          i += 2;
        } else if (c === '"' && q === '\\' && i + 1 >= line.length) {
          throw new ShlexError('No escaped character');
        } else {
          token += q;
          i++;
        }
      }
    } else {
      token += c;
      inToken = true;
      i++;
    }
  }
  if (inToken) tokens.push(token);
  return tokens;
}
