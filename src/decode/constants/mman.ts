// mmap/mprotect/mremap/madvise constants, x86-64 values, in strace 6.1's order.

import type { Xlat } from '../xlat.js';

export const PROT: Xlat = [
  [0, 'PROT_NONE'],
  [0x1, 'PROT_READ'],
  [0x2, 'PROT_WRITE'],
  [0x4, 'PROT_EXEC'],
  [0x8, 'PROT_SEM'],
  [0x01000000, 'PROT_GROWSDOWN'],
  [0x02000000, 'PROT_GROWSUP'],
];

/** The mapping type: the low 4 bits of the mmap flags (MAP_TYPE), printed first. */
export const MAP_TYPES: Xlat = [
  [0x1, 'MAP_SHARED'],
  [0x2, 'MAP_PRIVATE'],
  [0x3, 'MAP_SHARED_VALIDATE'],
  [0, 'MAP_FILE'],
];
export const MAP_TYPE_MASK = 0xf;

/** The other mmap flags. Bits 26..31 (MAP_HUGE_MASK << MAP_HUGE_SHIFT) are printed as `N<<MAP_HUGE_SHIFT`. */
export const MAP_FLAGS: Xlat = [
  [0x10, 'MAP_FIXED'],
  [0x20, 'MAP_ANONYMOUS'],
  [0x40, 'MAP_32BIT'],
  [0x4000, 'MAP_NORESERVE'],
  [0x8000, 'MAP_POPULATE'],
  [0x10000, 'MAP_NONBLOCK'],
  [0x100, 'MAP_GROWSDOWN'],
  [0x800, 'MAP_DENYWRITE'],
  [0x1000, 'MAP_EXECUTABLE'],
  [0x2000, 'MAP_LOCKED'],
  [0x20000, 'MAP_STACK'],
  [0x40000, 'MAP_HUGETLB'],
  [0x80000, 'MAP_SYNC'],
  [0x4000000, 'MAP_UNINITIALIZED'],
  [0x100000, 'MAP_FIXED_NOREPLACE'],
];
export const MAP_HUGE_SHIFT = 26;
export const MAP_HUGE_MASK = 0x3f;

export const MREMAP_FLAGS: Xlat = [
  [1, 'MREMAP_MAYMOVE'],
  [2, 'MREMAP_FIXED'],
  [4, 'MREMAP_DONTUNMAP'],
];

export const MADV: Xlat = [
  [0, 'MADV_NORMAL'],
  [1, 'MADV_RANDOM'],
  [2, 'MADV_SEQUENTIAL'],
  [3, 'MADV_WILLNEED'],
  [4, 'MADV_DONTNEED'],
  [8, 'MADV_FREE'],
  [9, 'MADV_REMOVE'],
  [10, 'MADV_DONTFORK'],
  [11, 'MADV_DOFORK'],
  [12, 'MADV_MERGEABLE'],
  [13, 'MADV_UNMERGEABLE'],
  [14, 'MADV_HUGEPAGE'],
  [15, 'MADV_NOHUGEPAGE'],
  [16, 'MADV_DONTDUMP'],
  [17, 'MADV_DODUMP'],
  [18, 'MADV_WIPEONFORK'],
  [19, 'MADV_KEEPONFORK'],
  [20, 'MADV_COLD'],
  [21, 'MADV_PAGEOUT'],
  [22, 'MADV_POPULATE_READ'],
  [23, 'MADV_POPULATE_WRITE'],
  [24, 'MADV_DONTNEED_LOCKED'],
  [25, 'MADV_COLLAPSE'],
  [100, 'MADV_HWPOISON'],
  [101, 'MADV_SOFT_OFFLINE'],
];

/** msync's flags, in strace's order (xlat/mctl_sync.in). */
export const MSYNC_FLAGS: Xlat = [
  [4, 'MS_SYNC'],
  [1, 'MS_ASYNC'],
  [2, 'MS_INVALIDATE'],
];

export const MLOCKALL_FLAGS: Xlat = [
  [1, 'MCL_CURRENT'],
  [2, 'MCL_FUTURE'],
  [4, 'MCL_ONFAULT'],
];

export const MLOCK_FLAGS: Xlat = [[1, 'MLOCK_ONFAULT']];

/** shmat's flags (strace's xlat/shm_flags.in). */
export const SHM_FLAGS: Xlat = [
  [0x1000, 'SHM_RDONLY'], [0x2000, 'SHM_RND'], [0x4000, 'SHM_REMAP'], [0x8000, 'SHM_EXEC'],
];

/** pkey_alloc's access rights (strace's xlat/pkey_access.in). */
export const PKEY_ACCESS: Xlat = [
  [1, 'PKEY_DISABLE_ACCESS'], [2, 'PKEY_DISABLE_WRITE'], [4, 'PKEY_DISABLE_EXECUTE'],
];

// ---- NUMA memory policies (mbind, set_mempolicy, get_mempolicy, move_pages)

export const MPOL_MODES: Xlat = [
  [0, 'MPOL_DEFAULT'], [1, 'MPOL_PREFERRED'], [2, 'MPOL_BIND'], [3, 'MPOL_INTERLEAVE'], [4, 'MPOL_LOCAL'],
  [5, 'MPOL_PREFERRED_MANY'],
];

export const MPOL_MODE_FLAGS: Xlat = [
  [0x8000, 'MPOL_F_STATIC_NODES'], [0x4000, 'MPOL_F_RELATIVE_NODES'], [0x2000, 'MPOL_F_NUMA_BALANCING'],
];

export const MBIND_FLAGS: Xlat = [
  [1, 'MPOL_MF_STRICT'], [2, 'MPOL_MF_MOVE'], [4, 'MPOL_MF_MOVE_ALL'],
];

export const GET_MEMPOLICY_FLAGS: Xlat = [
  [1, 'MPOL_F_NODE'], [2, 'MPOL_F_ADDR'], [4, 'MPOL_F_MEMS_ALLOWED'],
];

export const MOVE_PAGES_FLAGS: Xlat = [
  [2, 'MPOL_MF_MOVE'], [4, 'MPOL_MF_MOVE_ALL'],
];
