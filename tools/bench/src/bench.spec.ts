import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

/**
 * The bench end to end, its quick profile: the five services, both baselines and the load process
 * really start, every scenario runs, and the report holds a measured number wherever a figure
 * belongs. How fast anything was is not asserted — that is what the report is for.
 */
const run = promisify(execFile);
const ROOT = resolve(__dirname, '../../..');
const NUMBER = /^-?\d+(\.\d+)?/;

let report = '';
let dir = '';

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'bench-spec-'));
  const out = join(dir, 'performance.md');
  await run(process.execPath, ['tools/bench/run.mjs', '--quick', '--out', out], { cwd: ROOT, maxBuffer: 16 * 1024 * 1024 });
  report = readFileSync(out, 'utf8');
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The rows of the Markdown table under `heading`, as cells. */
function table(heading: string): string[][] {
  const section = (report.split(`${heading}\n`)[1] ?? '').split('\n');
  const start = section.findIndex((line) => line.startsWith('|'));
  const end = section.findIndex((line, index) => index > start && !line.startsWith('|'));
  // The table's own lines only, without its header and separator rows.
  return section.slice(start + 2, end).map((line) =>
    line
      .split('|')
      .slice(1, -1)
      .map((cell) => cell.trim()),
  );
}

describe('npm run bench -- --quick', () => {
  it('names the machine, the Node version and the date of the run', () => {
    expect(report).toMatch(/^- Machine: .+, \d+ cores$/m);
    expect(report).toContain(`- Node: ${process.version}`);
    expect(report).toMatch(/^- Date: \d{4}-\d{2}-\d{2}T/m);
  });

  it('measures every load scenario: throughput, p50, p99 and CPU per request are numbers, and no request was refused', () => {
    const rows = table('## Load scenarios');
    expect(rows.map((row) => row[0])).toEqual([
      'Bare Fastify, small JSON (one hop)',
      'Account System API alone: GET /v1/accounts/{id}',
      'Monolith home screen (same 9 SQL statements)',
      'Layered home screen: mobile → Process → System APIs',
      'Layered home screen, reads shared for 1 s (READ_CACHE_MS=1000)',
      'Monolith account detail (same 13 SQL statements)',
      'Layered account detail: mobile GET /v1/accounts/{id}',
    ]);
    for (const [, , requests, answers, reqPerSec, p50, p99, cpu, comparison] of rows) {
      // A 4xx is the bench's own mistake (token, credential, path); a 5xx under load is a finding, reported as such.
      expect(answers).toMatch(/^200: \d+/);
      expect(answers).not.toMatch(/\b4\d\d:/);
      expect(Number(requests)).toBeGreaterThan(0);
      for (const figure of [reqPerSec, p50, p99, cpu]) expect(figure).toMatch(NUMBER);
      expect(Number(cpu)).toBeGreaterThan(0);
      expect(comparison).toMatch(/^baseline$|^\d+\.\d+×, \d+\.\d+×, \d+\.\d+×, \d+\.\d+× of “/);
    }
  });

  it('judges every target on a measured figure', () => {
    const targets = table('## Targets');
    expect(targets).toHaveLength(11);
    for (const [target, measured, holds] of targets) {
      expect({ target, measured }).toEqual({
        target,
        // The figures that may be missing in the short quick freeze: an outage not detected, or
        // detected too late for any request to start after it.
        measured: expect.stringMatching(/\d|^not detected$|^no request started after detection$/),
      });
      expect(['yes', '**no**', 'not measured']).toContain(holds);
    }
  });

  it('counts internal calls per home screen from the services’ own request counters', () => {
    const [, value] = table('## Other figures').find(([figure]) => figure === 'Internal HTTP calls per home screen') ?? [];
    expect(Number(value)).toBeGreaterThan(1);
  });

  it('measures a bare Fastify → Fastify hop run alone at the layered home screen’s rate', () => {
    const [, value, how] = table('## Other figures').find(([figure]) => figure === 'CPU per bare hop at the same rate, run alone') ?? [];
    // A difference of two measured figures: in a seconds-long window it may even come out below zero.
    expect(value).toMatch(/^-?\d+\.\d{3} ms$/);
    expect(how).toMatch(/\d+ req\/s open loop: \d+\.\d{3} ms for both − \d+\.\d{3} ms for the back one alone$/);
  });

  it('reports idle RSS of each of the five services, split into own and file-backed pages, beside the bare Fastify floor', () => {
    const rows = table('### Idle RSS per service (MiB, after start, before any traffic)');
    expect(rows.map(([process]) => process)).toEqual([
      'account-system-api',
      'billing-system-api',
      'onboarding-process-api',
      'mobile-experience-api',
      'web-experience-api',
      'bare Fastify (baseline)',
    ]);
    for (const [, rss, anon, file] of rows) {
      expect(Number(anon)).toBeGreaterThan(0);
      expect(Number(file)).toBeGreaterThan(0);
      // Printed to one decimal each: the parts add up to the whole within rounding.
      expect(Math.abs(Number(anon) + Number(file) - Number(rss))).toBeLessThanOrEqual(0.15);
    }
  });

  it('splits CPU per request by process wherever a scenario measures more than one', () => {
    const section = report.split('CPU ms per request by process')[1]?.split('\n\n')[1] ?? '';
    const layered = section.split('\n').find((line) => line.startsWith('- Layered home screen: mobile'));
    for (const name of ['account-system-api', 'billing-system-api', 'onboarding-process-api', 'mobile-experience-api', 'PostgreSQL backends']) {
      expect(layered).toMatch(new RegExp(`${name} \\d+\\.\\d{3}`));
    }
  });

  it('reports log lines of each service', () => {
    const logRows = table('### Log lines during the layered home-screen run (default level)');
    expect(logRows.filter(([service]) => service !== 'web-experience-api').every(([, perHome]) => Number(perHome) > 0)).toBe(true);
  });
});
