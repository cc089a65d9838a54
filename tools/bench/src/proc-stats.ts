/**
 * What a process costs, read from Linux's /proc: CPU time (utime + stime of /proc/<pid>/stat, in
 * clock ticks) and resident memory (VmRSS of /proc/<pid>/status). The PostgreSQL side of a
 * scenario is its server backends, found by database name in pg_stat_activity — so the bench
 * counts the SQL work it causes, and not what other clients of a shared server do meanwhile.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type pg from 'pg';

/** Clock ticks per second (USER_HZ), almost always 100. */
export const CLOCK_TICKS_PER_SECOND = (() => {
  try {
    const ticks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
    return Number.isInteger(ticks) && ticks > 0 ? ticks : 100;
  } catch {
    return 100;
  }
})();

/** utime + stime in ticks, from the text of /proc/<pid>/stat (the command name may hold spaces and parentheses). */
export function cpuTicksFromStat(stat: string): number {
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // Fields 14 and 15 of proc(5); after "pid (comm) " the state is field 3, at index 0.
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  if (!Number.isFinite(utime) || !Number.isFinite(stime)) throw new Error(`unexpected /proc stat line: ${stat.slice(0, 80)}`);
  return utime + stime;
}

/** VmRSS in bytes, from the text of /proc/<pid>/status. */
export function rssBytesFromStatus(status: string): number {
  const match = /^VmRSS:\s+(\d+)\s+kB$/m.exec(status);
  if (!match) throw new Error('no VmRSS line in /proc status (has the process exited?)');
  return Number(match[1]) * 1024;
}

/** CPU ticks of a process so far; undefined once it has gone. */
export function cpuTicksOf(pid: number): number | undefined {
  try {
    return cpuTicksFromStat(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return undefined;
  }
}

export function rssBytesOf(pid: number): number {
  return rssBytesFromStatus(readFileSync(`/proc/${pid}/status`, 'utf8'));
}

/**
 * VmRSS split as /proc/<pid>/status splits it, in bytes: `anon` is the process' own memory (V8's
 * heap, compiled code, buffers); `file` is mapped file pages — for a Node process mostly the
 * pages of the node binary it has touched, which every Node process on the host shares.
 */
export interface ResidentMemory {
  rss: number;
  anon: number;
  file: number;
}

export function residentMemoryFromStatus(status: string): ResidentMemory {
  const kB = (field: string) => {
    const match = new RegExp(`^${field}:\\s+(\\d+)\\s+kB$`, 'm').exec(status);
    if (!match) throw new Error(`no ${field} line in /proc status (has the process exited?)`);
    return Number(match[1]) * 1024;
  };
  return { rss: kB('VmRSS'), anon: kB('RssAnon'), file: kB('RssFile') + kB('RssShmem') };
}

export function residentMemoryOf(pid: number): ResidentMemory {
  return residentMemoryFromStatus(readFileSync(`/proc/${pid}/status`, 'utf8'));
}

/** Server backend pids connected to these databases right now. */
export async function backendPids(admin: pg.Client, databases: string[]): Promise<number[]> {
  const { rows } = await admin.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE datname = ANY($1::text[])', [databases]);
  return rows.map((row) => row.pid);
}

/** CPU ticks per pid at one instant. */
export type CpuSnapshot = Map<number, number>;

export function snapshotCpu(pids: number[]): CpuSnapshot {
  const snapshot: CpuSnapshot = new Map();
  for (const pid of pids) {
    const ticks = cpuTicksOf(pid);
    if (ticks !== undefined) snapshot.set(pid, ticks);
  }
  return snapshot;
}

/**
 * CPU milliseconds spent between two snapshots, summed over the pids of `after` (or only those
 * of `only`). A pid that appeared meanwhile (a new backend) counts from zero; one that exited
 * meanwhile is lost — the services keep their pool connections open, so that is rare.
 */
export function cpuMsBetween(before: CpuSnapshot, after: CpuSnapshot, only?: (pid: number) => boolean): number {
  let ticks = 0;
  for (const [pid, now] of after) if (!only || only(pid)) ticks += now - (before.get(pid) ?? 0);
  return (ticks * 1000) / CLOCK_TICKS_PER_SECOND;
}
