// The fixed CPU profile CPUID reports: a baseline x86-64 Intel CPU (x87, MMX, SSE and SSE2, no
// SSE3+, no AVX/XSAVE, no BMI), one core, with cache leaves that glibc's cacheinfo code can size
// its memcpy and memset thresholds from. A feature appears here only once the interpreter implements it.

const FEATURES_EDX_1 =
  (1 << 0) | // FPU
  (1 << 4) | // TSC
  (1 << 5) | // MSR
  (1 << 6) | // PAE
  (1 << 8) | // CX8
  (1 << 11) | // SEP
  (1 << 15) | // CMOV
  (1 << 19) | // CLFSH
  (1 << 23) | // MMX
  (1 << 24) | // FXSR
  (1 << 25) | // SSE
  (1 << 26); // SSE2

const FEATURES_ECX_80000001 = 1 << 0; // LAHF/SAHF in 64-bit mode
const FEATURES_EDX_80000001 = (1 << 11) | (1 << 20) | (1 << 29); // SYSCALL, NX, LM

export const CPU_VENDOR = 'GenuineIntel';
export const CPU_BRAND = 'emtrace virtual x86-64 CPU';
export const CPU_FAMILY = 6;
export const CPU_MODEL = 0x0f;
export const CPU_STEPPING = 6;

/** Deterministic cache parameters (leaf 4): [type, level, ways, line size, sets]. */
const CACHES: [number, number, number, number, number][] = [
  [1, 1, 8, 64, 64], // L1 data, 32 KiB
  [2, 1, 8, 64, 64], // L1 instruction, 32 KiB
  [3, 2, 4, 64, 1024], // L2 unified, 256 KiB
  [3, 3, 16, 64, 8192], // L3 unified, 8 MiB
];

function asciiWords(text: string, count: number): number[] {
  const bytes = Buffer.alloc(count * 4);
  bytes.write(text, 'latin1');
  return Array.from({ length: count }, (_, k) => bytes.readInt32LE(4 * k));
}

const VENDOR = asciiWords(CPU_VENDOR, 3); // EBX, EDX, ECX order below
const BRAND = asciiWords(CPU_BRAND, 12);

/** Returns [eax, ebx, ecx, edx] for a leaf and subleaf. */
export function cpuid(leaf: number, subleaf: number): [number, number, number, number] {
  switch (leaf >>> 0) {
    case 0:
      return [0xd, VENDOR[0], VENDOR[2], VENDOR[1]];
    case 1: {
      const signature = (CPU_FAMILY << 8) | (CPU_MODEL << 4) | CPU_STEPPING;
      // EBX: CLFLUSH line size 8 x 8 bytes, one logical processor, APIC id 0.
      return [signature, (8 << 8) | (1 << 16), 0, FEATURES_EDX_1];
    }
    case 2:
      // Descriptor 0xff: "use leaf 4 for cache parameters" (as current Intel parts report).
      return [0x00feff01, 0, 0, 0];
    case 4: {
      const cache = CACHES[subleaf >>> 0];
      if (!cache) return [0, 0, 0, 0];
      const [type, level, ways, line, sets] = cache;
      const eax = type | (level << 5) | (1 << 8);
      const ebx = ((ways - 1) << 22) | (line - 1);
      return [eax, ebx, sets - 1, level === 3 ? 2 : 0];
    }
    case 0xb: {
      // Topology: one thread on one core.
      if (subleaf === 0) return [0, 1, 0x100, 0];
      if (subleaf === 1) return [0, 1, 0x201, 0];
      return [0, 0, subleaf & 0xff, 0];
    }
    case 0x80000000:
      return [0x80000008 | 0, 0, 0, 0];
    case 0x80000001:
      return [0, 0, FEATURES_ECX_80000001, FEATURES_EDX_80000001];
    case 0x80000002:
    case 0x80000003:
    case 0x80000004: {
      const k = ((leaf >>> 0) - 0x80000002) * 4;
      return [BRAND[k], BRAND[k + 1], BRAND[k + 2], BRAND[k + 3]];
    }
    case 0x80000006:
      // L2: 256 KiB, 4-way (encoding 4), 64-byte lines.
      return [0, 0, (256 << 16) | (4 << 12) | 64, 0];
    case 0x80000008:
      return [0x3030, 0, 0, 0]; // 48-bit physical and virtual addresses
    default:
      // Leaves 3, 5..0xa, 0xc, 0xd and unknown extended leaves: nothing advertised.
      return [0, 0, 0, 0];
  }
}
