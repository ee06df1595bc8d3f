// -e trace= expressions. The error messages and accepted forms were checked against strace 6.1
// (`strace -e trace=EXPR ./prog`).

import { describe, expect, it } from 'vitest';
import { parseTraceExpression, selectSyscalls, splitQualifier, traceFilterFromOption } from '../../src/trace/filter.js';
import { syscallNumber, syscallsInClass } from '../../src/decode/index.js';

const nr = (name: string): number => {
  const n = syscallNumber(name);
  if (n === undefined) throw new Error(name);
  return n;
};
const traced = (expr: string): number[] => {
  const p = parseTraceExpression(expr);
  const out: number[] = [];
  for (let i = 0; i < 600; i++) if (p(i)) out.push(i);
  return out;
};

describe('parseTraceExpression', () => {
  it('names, numbers, lists', () => {
    expect(traced('open')).toEqual([2]);
    expect(traced('open,close,12')).toEqual([2, 3, 12]);
    expect(traced('read@64')).toEqual([0]);
    expect(traced(',,brk,')).toEqual([12]);
  });

  it('classes', () => {
    expect(traced('%file')).toEqual(syscallsInClass('file'));
    expect(traced('file')).toEqual(syscallsInClass('file'));
    expect(traced('%net')).toEqual(syscallsInClass('network'));
    expect(traced('%network')).toEqual(syscallsInClass('network'));
    expect(traced('%%stat')).toEqual([4, 5, 6, 262, 332]);
    expect(traced('%stat')).toEqual([4]);
    expect(traced('%lstat')).toEqual([6]);
    expect(traced('%fstat')).toEqual([5, 262, 332]);
    expect(traced('%%statfs')).toEqual([136, 137, 138]);
    expect(traced('%creds')).toContain(nr('setresuid'));
    expect(traced('%pure')).toEqual([39, 102, 104, 107, 108, 110, 111, 186]);
    expect(traced('%clock')).toContain(nr('clock_gettime'));
    expect(traced('%desc,%memory')).toContain(nr('mmap'));
  });

  it('all, none, negation of the whole set', () => {
    expect(parseTraceExpression('all')(999)).toBe(true);
    expect(parseTraceExpression('none')(0)).toBe(false);
    expect(parseTraceExpression('!none')(0)).toBe(true);
    expect(parseTraceExpression('!all')(0)).toBe(false);
    const p = parseTraceExpression('!%desc,brk');
    expect(p(nr('brk'))).toBe(false);
    expect(p(nr('read'))).toBe(false);
    expect(p(nr('execve'))).toBe(true);
    expect(p(999)).toBe(true); // unknown numbers are outside the set, so traced when negated
    expect(parseTraceExpression('!!read')(0)).toBe(true);
  });

  it('regular expressions', () => {
    expect(traced('/^(open|close)$')).toEqual([2, 3]);
    expect(traced('/stat$')).toEqual([4, 5, 6, 136, 451]);
  });

  it('? suppresses the error for unknown names; i386-only names are accepted', () => {
    expect(traced('?foo,brk')).toEqual([12]);
    expect(traced('waitpid')).toEqual([]);
    expect(traced('read@32')).toEqual([]);
  });

  it('strace\'s errors', () => {
    expect(() => parseTraceExpression('foo')).toThrow("invalid system call 'foo'");
    expect(() => parseTraceExpression('open,foo')).toThrow("invalid system call 'foo'");
    expect(() => parseTraceExpression('%FILE')).toThrow("invalid system call '%FILE'");
    expect(() => parseTraceExpression('')).toThrow("invalid system call ''");
    expect(() => parseTraceExpression('!')).toThrow("invalid system call '!'");
    expect(() => parseTraceExpression('9999')).toThrow("invalid system call '9999'");
    expect(() => parseTraceExpression('!read')).not.toThrow();
    expect(() => parseTraceExpression('%desc,!read')).toThrow("invalid system call '!read'");
    expect(() => parseTraceExpression('read@x')).toThrow("incorrect personality designator 'x' in qualification 'read@x'");
    expect(() => parseTraceExpression('waitpid@64')).toThrow("invalid system call 'waitpid@64'");
    expect(() => parseTraceExpression('/nomatch_xyz')).toThrow("invalid system call '/nomatch_xyz'");
    expect(() => parseTraceExpression('/br[')).toThrow(/^regcomp: br\[: /);
  });
});

describe('-e option forms', () => {
  it('qualifier names and aliases; a bare expression means trace=', () => {
    expect(splitQualifier('trace=open')).toEqual({ qualifier: 'trace', value: 'open' });
    expect(splitQualifier('t=open')).toEqual({ qualifier: 'trace', value: 'open' });
    expect(splitQualifier('open')).toEqual({ qualifier: 'trace', value: 'open' });
    expect(splitQualifier('signal=none')).toEqual({ qualifier: 'signal', value: 'none' });
    expect(splitQualifier('s=!SIGCHLD')).toEqual({ qualifier: 'signal', value: '!SIGCHLD' });
    expect(splitQualifier('decode-fds=path')).toEqual({ qualifier: 'decode-fd', value: 'path' });
    expect(splitQualifier('foo=bar')).toEqual({ qualifier: 'trace', value: 'foo=bar' });
  });

  it('traceFilterFromOption', () => {
    expect(traceFilterFromOption('open')?.(2)).toBe(true);
    expect(traceFilterFromOption('trace=%file')?.(0)).toBe(false);
    expect(traceFilterFromOption('verbose=all')).toBeUndefined();
    expect(() => traceFilterFromOption('foo=bar')).toThrow("invalid system call 'foo=bar'");
  });
});

describe('selectSyscalls', () => {
  it('everything by default; the last trace expression wins; other qualifiers ignored', () => {
    expect(selectSyscalls([])(999)).toBe(true);
    const p = selectSyscalls(['trace=open', 'verbose=all', 'close']);
    expect(p(2)).toBe(false);
    expect(p(3)).toBe(true);
    expect(() => selectSyscalls(['trace=nosuch'])).toThrow("invalid system call 'nosuch'");
  });
});
