// How constants and strings print (strace -X and -x): one setting for the duration of formatting
// a line, read by the primitive printers (xlat.ts, strings.ts) as strace reads its globals, so
// that no decoder has to pass it along.

/** strace -X: constants as names (`abbrev`, the default), as numbers (`raw`), or both
 *  (`verbose`: `0x1002 /* ARCH_SET_FS *\/`). */
export type XlatStyle = 'abbrev' | 'raw' | 'verbose';

/** strace -x / -xx: 0 strings escaped as usual, 1 a string with a non-ASCII byte all in `\xNN`,
 *  2 every string in `\xNN`. */
export type HexStrings = 0 | 1 | 2;

export interface DisplayStyle {
  readonly xlat: XlatStyle;
  readonly hexStrings: HexStrings;
}

export const DEFAULT_STYLE: DisplayStyle = { xlat: 'abbrev', hexStrings: 0 };

let current: DisplayStyle = DEFAULT_STYLE;

/** The style of the line being formatted. */
export function displayStyle(): DisplayStyle {
  return current;
}

/** Runs `body` with `style` in effect (nested calls restore the outer one). */
export function withStyle<T>(style: DisplayStyle | undefined, body: () => T): T {
  if (style === undefined || style === current) return body();
  const outer = current;
  current = style;
  try {
    return body();
  } finally {
    current = outer;
  }
}

/**
 * A constant as -X wants it: `raw` (the number as strace prints it), `symbolic` (its name or
 * composed text: `O_RDONLY|O_CLOEXEC`, `makedev(0x1, 0x3)`), or both as `raw /* symbolic *\/`.
 */
export function styled(raw: string, symbolic: string): string {
  switch (current.xlat) {
    case 'abbrev':
      return symbolic;
    case 'raw':
      return raw;
    case 'verbose':
      return symbolic === raw ? raw : raw + ' /* ' + symbolic + ' */';
  }
}

/** Runs `body` with constants printed as names whatever -X says: the parts of a composed
 *  constant (styled once as a whole), and the texts strace always prints by name (fcntl
 *  F_GETFL's `(flags O_RDWR)`). */
export function symbolic<T>(body: () => T): T {
  return current.xlat === 'abbrev' ? body() : withStyle({ ...current, xlat: 'abbrev' }, body);
}
