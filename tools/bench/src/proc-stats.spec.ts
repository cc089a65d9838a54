import {
  CLOCK_TICKS_PER_SECOND,
  cpuMsBetween,
  cpuTicksFromStat,
  residentMemoryFromStatus,
  residentMemoryOf,
  rssBytesFromStatus,
  rssBytesOf,
} from './proc-stats';

// proc(5): pid (comm) state ppid pgrp session tty_nr tpgid flags minflt cminflt majflt cmajflt utime stime ...
const stat = (comm: string, utime: number, stime: number) =>
  `4242 (${comm}) S 1 4242 4242 0 -1 4194560 1200 0 3 0 ${utime} ${stime} 0 0 20 0 11 0 99 0 0`;

describe('reading /proc', () => {
  it('adds utime and stime of a stat line', () => {
    expect(cpuTicksFromStat(stat('node', 1500, 230))).toBe(1730);
  });

  it('is not misled by spaces and parentheses in the command name', () => {
    expect(cpuTicksFromStat(stat('postgres: postgres db (1) idle', 7, 5))).toBe(12);
  });

  it('reads VmRSS in bytes', () => {
    expect(rssBytesFromStatus('Name:\tnode\nVmPeak:\t  900000 kB\nVmRSS:\t   81920 kB\nRssAnon:\t 40000 kB\n')).toBe(81920 * 1024);
  });

  it('reads the resident memory of a live process', () => {
    expect(rssBytesOf(process.pid)).toBeGreaterThan(0);
  });

  it('splits resident memory into the process’s own pages and mapped file pages', () => {
    const status = 'Name:\tnode\nVmRSS:\t  120000 kB\nRssAnon:\t   70000 kB\nRssFile:\t   49000 kB\nRssShmem:\t    1000 kB\n';
    expect(residentMemoryFromStatus(status)).toEqual({ rss: 120000 * 1024, anon: 70000 * 1024, file: 50000 * 1024 });
    const live = residentMemoryOf(process.pid);
    expect(live.anon + live.file).toBe(live.rss);
  });

  it('sums CPU over every pid, counting one that appeared meanwhile from zero', () => {
    const before = new Map([
      [1, 100],
      [2, 50],
    ]);
    const after = new Map([
      [1, 130],
      [2, 50],
      [3, 20],
    ]);
    expect(cpuMsBetween(before, after)).toBe((50 * 1000) / CLOCK_TICKS_PER_SECOND);
    expect(cpuMsBetween(before, after, (pid) => pid !== 1)).toBe((20 * 1000) / CLOCK_TICKS_PER_SECOND);
  });
});
