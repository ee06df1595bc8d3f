// The header of a recorded trace: everything a replay needs besides the events.
import fs from 'node:fs';
import path from 'node:path';
import { CPU_BRAND, CPU_FAMILY, CPU_MODEL, CPU_STEPPING, CPU_VENDOR } from '../emulator/cpu/cpuid.js';
import type { ElfImage } from '../emulator/elf.js';
import { readExecutable, type Machine } from '../emulator/machine.js';
import { UserError } from '../errors.js';
import { VERSION } from '../version.js';
import { sha256, TRACE_FORMAT, TRACE_VERSION, TraceHeader } from './trace-file.js';

export interface HeaderFacts {
  argv: string[];
  env: string[];
  seed: string;
  /** --chaos: the scheduler's seed (a replay schedules with it too). */
  chaos?: string;
  hostTime?: boolean;
  hostRandom?: boolean;
  /** --max-memory (a replay applies it too: mappings are re-made and must fail alike). */
  maxMemory?: number;
  /** --uname-release, --hostname: what uname reported instead of the defaults. */
  uname?: { release?: string; nodename?: string };
}

export function traceHeader(machine: Machine, facts: HeaderFacts): TraceHeader {
  const proc = machine.process;
  return {
    type: 'header',
    format: TRACE_FORMAT,
    version: TRACE_VERSION,
    emtrace: VERSION,
    argv: facts.argv,
    env: facts.env,
    cwd: proc.cwd,
    binary: { path: machine.image.path, sha256: sha256(machine.image.data) },
    seed: facts.seed,
    clock: facts.hostTime ? 'host' : 'virtual',
    entropy: facts.hostRandom ? 'host' : 'seeded',
    cpu: { vendor: CPU_VENDOR, family: CPU_FAMILY, model: CPU_MODEL, stepping: CPU_STEPPING, brand: CPU_BRAND },
    identity: { uid: proc.identity.uid, gid: proc.identity.gid },
    pid: proc.pid,
    atRandom: Buffer.from(machine.atRandom).toString('base64'),
    ...(facts.chaos !== undefined ? { chaos: facts.chaos } : {}),
    ...(facts.maxMemory !== undefined ? { maxMemory: facts.maxMemory } : {}),
    ...(facts.uname !== undefined ? { uname: { ...facts.uname } } : {}),
  };
}

/** Where the binary a header names is now: relative names are taken from the recording's cwd
 *  first, then from the current directory. */
export function binaryCandidates(header: TraceHeader): string[] {
  const named = header.binary.path;
  if (path.isAbsolute(named)) return [named];
  return [path.resolve(header.cwd, named), path.resolve(named)];
}

/** The first of `candidates` that exists and has this SHA-256, read; a UserError naming
 *  `tracePath` when none is here. */
export function findBinary(candidates: string[], expectedSha: string, tracePath: string): ElfImage {
  const existing = candidates.filter((c) => fs.existsSync(c));
  if (existing.length === 0) {
    throw new UserError(tracePath, `the traced binary ${candidates[0]} is not here (give it with --binary PATH)`);
  }
  for (const candidate of existing) {
    const image = readExecutable(candidate);
    if (sha256(image.data) === expectedSha) return image;
  }
  throw new UserError(existing[0], `is not the binary the trace was recorded with (sha256 differs from ${expectedSha.slice(0, 16)}…)`);
}
