// The file system types the emulated kernel registers (/proc/filesystems, sysfs(2), fsopen,
// mount's type argument): those of the machine emtrace was built against, in registration order.
// `nodev` types need no block device.
export interface FilesystemType {
  readonly name: string;
  readonly nodev: boolean;
}

const NODEV = 'sysfs tmpfs proc cgroup cgroup2 cpuset devtmpfs binfmt_misc debugfs tracefs securityfs sockfs bpf pipefs ramfs hugetlbfs devpts';
const TABLE: [string, boolean][] = [
  ...NODEV.split(' ').map((n): [string, boolean] => [n, true]),
  ['ext3', false],
  ['ext2', false],
  ['ext4', false],
  ['squashfs', false],
  ['autofs', true],
  ['fuseblk', false],
  ['fuse', true],
  ['fusectl', true],
  ['overlay', true],
  ['xfs', false],
  ['erofs', false],
  ['mqueue', true],
  ['btrfs', false],
  ['pstore', true],
];

export const FILESYSTEMS: readonly FilesystemType[] = TABLE.map(([name, nodev]) => ({ name, nodev }));

export function filesystemType(name: string): FilesystemType | undefined {
  return FILESYSTEMS.find((f) => f.name === name);
}
