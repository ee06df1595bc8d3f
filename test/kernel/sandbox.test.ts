// The sandbox options. `--root DIR` makes DIR the guest's `/`: no path, `..`, absolute symlink,
// symlink to `..` or chain of them leads out of it, exactly as under chroot(2) (checked against a
// native chroot when the tests run as root). `--read-only` refuses every change to the tree with
// EROFS and leaves the host as it was (the tree's hash before and after).
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emtrace, guest, native } from '../support/run.js';

const base = fs.mkdtempSync(path.join(os.tmpdir(), 'emtrace-sandbox-'));
const root = path.join(base, 'root');
const outside = path.join(base, 'outside');
afterAll(() => fs.rmSync(base, { recursive: true, force: true }));

/** Paths that reach /etc/passwd from /a/b in every way a path can try to leave the root. */
const ESCAPES = [
  '../../etc/passwd',
  '../../../../../../../../etc/passwd',
  '/etc/passwd',
  '/../../../etc/passwd',
  '../abs',
  '../rel',
  '../chain2',
  '../up/../../etc/passwd',
  '../dotdot/etc/passwd',
  '../hostpath',
  '../hostdir/secret',
];

beforeAll(() => {
  fs.mkdirSync(path.join(root, 'a/b'), { recursive: true });
  fs.mkdirSync(outside);
  fs.writeFileSync(path.join(outside, 'secret'), 'outside the root\n');
  fs.symlinkSync('/etc/passwd', path.join(root, 'a/abs'));
  fs.symlinkSync('../../../../../../etc/passwd', path.join(root, 'a/rel'));
  fs.symlinkSync('..', path.join(root, 'a/up'));
  fs.symlinkSync('up/../../../etc/passwd', path.join(root, 'a/chain1'));
  fs.symlinkSync('chain1', path.join(root, 'a/chain2'));
  fs.symlinkSync('/../..', path.join(root, 'a/dotdot'));
  fs.symlinkSync(path.join(outside, 'secret'), path.join(root, 'a/hostpath'));
  fs.symlinkSync(outside, path.join(root, 'a/hostdir'));
  fs.copyFileSync(guest('sandbox-musl'), path.join(root, 'sandbox'));
  fs.chmodSync(path.join(root, 'sandbox'), 0o755);
});

function sandbox(args: string[], options: string[] = [], cwd = path.join(root, 'a/b')): string {
  const r = emtrace(['-o', '/dev/null', ...options, guest('sandbox-musl'), ...args], { cwd });
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  return r.stdout;
}

describe('--root DIR', () => {
  it('keeps every path inside: with no /etc in the root, none of the escapes finds a passwd', () => {
    const out = sandbox(ESCAPES.map((p) => `open:${p}`), ['--root', root]);
    expect(out.split('\n').filter(Boolean)).toEqual(ESCAPES.map((p) => `${p}: ENOENT`));
  });

  it('resolves them as if DIR were /: with a passwd in the root, they all open that one', () => {
    fs.mkdirSync(path.join(root, 'etc'));
    fs.writeFileSync(path.join(root, 'etc/passwd'), 'root:inside\n');
    try {
      const out = sandbox([...ESCAPES.map((p) => `open:${p}`), 'open:/proc/self/root/etc/passwd', 'open:/proc/self/cwd/../../etc/passwd'], ['--root', root]);
      const inside = ESCAPES.filter((p) => !p.includes('host'));
      expect(out.split('\n').filter(Boolean)).toEqual([
        ...inside.map((p) => `${p}: opened "root:inside"`),
        '../hostpath: ENOENT',
        '../hostdir/secret: ENOENT',
        '/proc/self/root/etc/passwd: opened "root:inside"',
        '/proc/self/cwd/../../etc/passwd: opened "root:inside"',
      ]);
    } finally {
      fs.rmSync(path.join(root, 'etc'), { recursive: true });
    }
  });

  it('shows guest paths: getcwd, /proc/self/cwd; `..` of / is /', () => {
    const out = sandbox(['cwd', 'chdir:/..', 'cwd', 'stat:/a/b', 'stat:' + root], ['--root', root]);
    expect(out).toBe(
      ['getcwd: /a/b', '/proc/self/cwd: /a/b', 'chdir:/..: ok', 'getcwd: /', '/proc/self/cwd: /', '/a/b: exists', `${root}: ENOENT`, ''].join('\n'),
    );
  });

  it('starts in / when the working directory is outside the root', () => {
    expect(sandbox(['cwd'], ['--root', path.join(root, 'a')], outside)).toBe('getcwd: /\n/proc/self/cwd: /\n');
  });

  it('keeps /proc and the emulated devices', () => {
    const out = sandbox(['open:/dev/null', 'stat:/proc/self/status', 'open:/proc/self/comm'], ['--root', root]);
    expect(out).toBe('/dev/null: opened ""\n/proc/self/status: exists\n/proc/self/comm: opened "sandbox-musl"\n');
  });

  it('answers as a native chroot does (when the tests run as root)', () => {
    if (process.getuid?.() !== 0) return;
    for (const withPasswd of [false, true]) {
      if (withPasswd) {
        fs.mkdirSync(path.join(root, 'etc'));
        fs.writeFileSync(path.join(root, 'etc/passwd'), 'root:inside\n');
      }
      try {
        const args = ['chdir:/a/b', ...ESCAPES.map((p) => `open:${p}`), 'cwd', 'chdir:/..', 'cwd', 'open:/sandbox', 'stat:/a/up/a/up/a'];
        const expected = native('chroot', [root, '/sandbox', ...args]);
        expect(expected.status).toBe(0);
        // Without /proc mounted in the chroot, its cwd link is missing: the one difference.
        const got = sandbox(args, ['--root', root], root).replace(/\/proc\/self\/cwd: \/\S*/g, '/proc/self/cwd: ENOENT');
        expect(got).toBe(expected.stdout);
        expect(got).toContain(withPasswd ? '/etc/passwd: opened "root:inside"' : '/etc/passwd: ENOENT');
      } finally {
        fs.rmSync(path.join(root, 'etc'), { recursive: true, force: true });
      }
    }
  });

  it('refuses a root that is not a directory', () => {
    const r = emtrace(['--root', path.join(base, 'missing'), guest('sandbox-musl'), 'cwd']);
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(`emtrace: ${path.join(base, 'missing')}: is not a directory (--root)\n`);
  });
});

/** Every name, type, mode, size, mtime and byte under dir. */
function treeHash(dir: string): string {
  const hash = createHash('sha256');
  const walk = (p: string): void => {
    const st = fs.lstatSync(p);
    hash.update(`${path.relative(dir, p)} ${st.mode} ${st.size} ${st.mtimeMs} ${st.uid}:${st.gid}\n`);
    if (st.isDirectory()) for (const name of fs.readdirSync(p).sort()) walk(path.join(p, name));
    else if (st.isSymbolicLink()) hash.update(fs.readlinkSync(p));
    else if (st.isFile()) hash.update(fs.readFileSync(p));
  };
  walk(dir);
  return hash.digest('hex');
}

/** What try_writes in sandbox.c does, and what each must answer on a read-only tree. */
const WRITES: [string, string][] = [
  ['open O_WRONLY', 'EROFS'],
  ['open O_RDWR', 'EROFS'],
  ['open O_RDONLY|O_TRUNC', 'EROFS'],
  ['open O_WRONLY|O_APPEND', 'EROFS'],
  ['open O_CREAT new', 'EROFS'],
  ['open O_CREAT|O_RDONLY new', 'EROFS'],
  ['open O_TMPFILE', 'EROFS'],
  ['creat', 'EROFS'],
  ['mkdir', 'EROFS'],
  ['rmdir', 'EROFS'],
  ['unlink', 'EROFS'],
  ['unlink link', 'EROFS'],
  ['rename', 'EROFS'],
  ['link', 'EROFS'],
  ['symlink', 'EROFS'],
  ['chmod', 'EROFS'],
  ['chmod dir', 'EROFS'],
  ['chown', 'EROFS'],
  ['lchown', 'EROFS'],
  ['utimensat', 'EROFS'],
  ['utimes', 'EROFS'],
  ['truncate', 'EROFS'],
  ['access W_OK', 'EROFS'],
  // A descriptor can only be had read-only: what needs a writable one fails as it would on any
  // read-only descriptor, the inode changes with EROFS.
  ['ftruncate', 'EINVAL'],
  ['fchmod', 'EROFS'],
  ['fchown', 'EROFS'],
  ['futimens', 'EROFS'],
  ['fallocate', 'EBADF'],
  ['write', 'EBADF'],
  ['mknod fifo', 'EROFS'],
  // Device nodes stay writable on a read-only mount.
  ['write /dev/null', 'ok'],
];

describe('--read-only', () => {
  const tree = path.join(base, 'tree');
  beforeAll(() => {
    fs.mkdirSync(path.join(tree, 'w/dir'), { recursive: true });
    fs.writeFileSync(path.join(tree, 'w/file'), 'keep me\n');
    fs.symlinkSync('file', path.join(tree, 'w/link'));
  });

  it.each([
    ['on the host tree', [] as string[], () => path.join(tree, 'w')],
    ['with --root', ['--root', tree], () => '/w'],
  ])('refuses every change %s with EROFS and leaves the host unchanged', (_label, options, dir) => {
    const before = treeHash(tree);
    const out = sandbox([`write:${dir()}`], ['--read-only', ...options], tree);
    expect(out.split('\n').filter(Boolean)).toEqual(WRITES.map(([what, answer]) => `${what}: ${answer}`));
    expect(treeHash(tree)).toBe(before);
  });

  it('changes the tree without it (the same writes succeed)', () => {
    const copy = path.join(base, 'writable');
    fs.cpSync(tree, copy, { recursive: true, verbatimSymlinks: true });
    const out = sandbox([`write:${path.join(copy, 'w')}`], [], copy);
    expect(out).toContain('open O_WRONLY: ok');
    expect(out).toContain('mkdir: ok');
    expect(fs.existsSync(path.join(copy, 'w/newdir'))).toBe(true);
  });
});
