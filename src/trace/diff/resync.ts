// The two steps of aligning after a difference, on bounded windows of lines:
//   resync(a, b)     where lockstep can resume: the cheapest (i, j), fewest lines skipped
//   alignBlock(a, b) the skipped lines as a diff: a longest common subsequence, so lines the two
//                    blocks still share show as context rather than as changes

/** The longest block alignBlock() computes an LCS for (cells of its table). */
const MAX_LCS_CELLS = 4_200_000;

/**
 * The (i, j), with a[0] != b[0], that minimises i + j (ties: the smaller i) such that a[i..] and
 * b[j..] agree on `confirm` lines, or agree up to the end of an input (`aComplete`: `a` holds
 * every remaining line of A). Without one, the whole windows: (a.length, b.length).
 */
export function resync(
  a: readonly string[],
  b: readonly string[],
  aComplete: boolean,
  bComplete: boolean,
  confirm: number,
): { i: number; j: number } {
  const positions = new Map<string, number[]>();
  for (let j = 0; j < b.length; j++) {
    const p = positions.get(b[j]);
    if (p === undefined) positions.set(b[j], [j]);
    else p.push(j);
  }
  const confirmed = (i: number, j: number): boolean => {
    let t = 1;
    while (t < confirm && i + t < a.length && j + t < b.length && a[i + t] === b[j + t]) t++;
    if (t >= confirm) return true;
    return (i + t === a.length && aComplete) || (j + t === b.length && bComplete);
  };
  let best = { i: a.length, j: b.length };
  let cost = Infinity;
  for (let i = 0; i < a.length && i < cost; i++) {
    const ps = positions.get(a[i]);
    if (ps === undefined) continue;
    for (const j of ps) {
      if (i + j >= cost) break;
      if (confirmed(i, j)) {
        best = { i, j };
        cost = i + j;
        break;
      }
    }
  }
  return best;
}

/** ' ' (both), '-' (only in a), '+' (only in b). */
export type OpKind = ' ' | '-' | '+';

/**
 * A diff of two blocks: their longest common subsequence as ' ' lines, and in each gap between
 * them a's lines ('-') before b's ('+'). Blocks too large for the table are all '-' then '+'.
 */
export function alignBlock(a: readonly string[], b: readonly string[]): [OpKind, string][] {
  const n = a.length;
  const m = b.length;
  const ids = new Map<string, number>();
  const ai = new Int32Array(n);
  const bi = new Int32Array(m);
  for (let k = 0; k < n; k++) {
    let id = ids.get(a[k]);
    if (id === undefined) ids.set(a[k], (id = ids.size));
    ai[k] = id;
  }
  let shared = false;
  const aIds = ids.size;
  for (let k = 0; k < m; k++) {
    let id = ids.get(b[k]);
    if (id === undefined) ids.set(b[k], (id = ids.size));
    else if (id < aIds) shared = true;
    bi[k] = id;
  }
  const out: [OpKind, string][] = [];
  if (!shared || (n + 1) * (m + 1) > MAX_LCS_CELLS) {
    for (const line of a) out.push(['-', line]);
    for (const line of b) out.push(['+', line]);
    return out;
  }
  // L[x][y]: LCS length of a[x..] and b[y..].
  const w = m + 1;
  const L = new Uint16Array((n + 1) * w);
  for (let x = n - 1; x >= 0; x--) {
    for (let y = m - 1; y >= 0; y--) {
      L[x * w + y] = ai[x] === bi[y] ? L[(x + 1) * w + y + 1] + 1 : Math.max(L[(x + 1) * w + y], L[x * w + y + 1]);
    }
  }
  const dels: string[] = [];
  const adds: string[] = [];
  const gap = (): void => {
    for (const line of dels) out.push(['-', line]);
    for (const line of adds) out.push(['+', line]);
    dels.length = 0;
    adds.length = 0;
  };
  let x = 0;
  let y = 0;
  while (x < n || y < m) {
    if (x < n && y < m && ai[x] === bi[y]) {
      gap();
      out.push([' ', a[x]]);
      x++;
      y++;
    } else if (y >= m || (x < n && L[(x + 1) * w + y] >= L[x * w + y + 1])) dels.push(a[x++]);
    else adds.push(b[y++]);
  }
  gap();
  return out;
}
