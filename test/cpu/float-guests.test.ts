// The float guests (test/guests/src/float.c) print under emtrace byte for byte what they print
// natively: double and long double formatting (%.17g %a %e %f %g, %.21Lg %La %Le), libm results
// (sqrt exp log pow sin cos atan2 fmod, expl logl sqrtl) and strtod/strtold of tricky strings.
// musl does its formatting and parsing in long double (x87) arithmetic; glibc's long double libm
// is x87 assembly. Needs `npm run build` (the tests run the built CLI).
import { describe, expect, it } from 'vitest';
import { emtrace, guest, native } from '../support/run.js';

const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', LANG: 'C' };

describe.skipIf(process.platform !== 'linux' || process.arch !== 'x64')('float guests against the host', () => {
  it.each(['float-musl', 'float-glibc'])('%s prints what it prints natively', (program) => {
    const expected = native(guest(program), [], { env });
    const actual = emtrace(['-o', '/dev/null', guest(program)], { env });
    expect(expected.status).toBe(0);
    expect(actual.stderr).toBe('');
    expect(actual.stdout).toBe(expected.stdout);
    expect(actual.status).toBe(0);
  });
});
