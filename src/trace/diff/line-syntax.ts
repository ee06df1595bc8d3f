// Small scanners over one strace line: where the quoted strings are, where the call ends and
// the `= result` column starts, and the hex numbers outside strings.

/** Applies `fn` to each part of `text` outside double-quoted strings (strace escapes `"` and `\`
 *  inside strings, so a string ends at the first unescaped quote). */
export function outsideStrings(text: string, fn: (part: string) => string): string {
  if (!text.includes('"')) return fn(text);
  let out = '';
  let k = 0;
  while (k < text.length) {
    const q = text.indexOf('"', k);
    if (q < 0) {
      out += fn(text.slice(k));
      break;
    }
    out += fn(text.slice(k, q));
    let e = q + 1;
    while (e < text.length && text[e] !== '"') e += text[e] === '\\' ? 2 : 1;
    out += text.slice(q, e + 1);
    k = e + 1;
  }
  return out;
}

/**
 * The index just after the call's closing parenthesis (`write(1, "a", 1)` → 16), or -1 when the
 * line is not a balanced `name(...)` (a `<... resumed>` tail, a signal or exit line).
 */
export function callEnd(text: string): number {
  const open = text.indexOf('(');
  if (open <= 0 || text.startsWith('<') || text.startsWith('---') || text.startsWith('+++')) return -1;
  let depth = 0;
  for (let k = open; k < text.length; k++) {
    const c = text[k];
    if (c === '"') {
      k++;
      while (k < text.length && text[k] !== '"') k += text[k] === '\\' ? 2 : 1;
    } else if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') {
      depth--;
      if (depth === 0) return c === ')' ? k + 1 : -1;
    }
  }
  return -1;
}

/** `write(1, "hi", 2)           = 2` → `write(1, "hi", 2) = 2`: the result column's padding as
 *  one space. */
export function collapsePadding(text: string): string {
  const end = callEnd(text);
  if (end >= 0) {
    let k = end;
    while (text.charCodeAt(k) === 0x20) k++;
    if (k > end + 1 && text[k] === '=') return text.slice(0, end) + ' ' + text.slice(k);
    return text;
  }
  // `<... read resumed>…)   = 3`: the padding is the last run of spaces before `= `.
  return text.replace(/\) {2,}(= [^=]*)$/, ') $1');
}

const HEX = /(?<![\w.])0x[0-9a-f]+/g;

/** Rewrites each hexadecimal number outside strings (`0x4ac000`, not `syscall_0x1c8`). */
export function replaceHex(text: string, fn: (token: string, value: number) => string): string {
  if (!text.includes('0x')) return text;
  return outsideStrings(text, (part) => part.replace(HEX, (token) => fn(token, parseInt(token.slice(2), 16))));
}
