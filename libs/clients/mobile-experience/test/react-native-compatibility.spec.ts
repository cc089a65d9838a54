import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { createContext, runInContext } from 'node:vm';
import { build } from 'esbuild';

/**
 * The client runs inside a React Native app: the platform's fetch, no Node. Proven three ways —
 * lint refuses Node, undici and the server platform in its source; the bundle an app would ship
 * holds this library's own code and nothing else (contracts are types only); and that bundle runs
 * in a sandbox with only the web APIs React Native provides.
 */
const libraryRoot = resolve(__dirname, '..');
const workspaceRoot = resolve(libraryRoot, '../../..');
const eslintBin = resolve(workspaceRoot, 'node_modules/eslint/bin/eslint.js');

/**
 * Lints `code` as if it were a source file of the client, with the client's own ESLint config (run
 * from its folder, as `nx lint` does). ESLint runs in a child process: its config loader needs real
 * dynamic import, which Jest's module sandbox does not offer.
 */
function lintErrors(code: string): string[] {
  const run = spawnSync(process.execPath, [eslintBin, '--format', 'json', '--stdin', '--stdin-filename', resolve(libraryRoot, 'src/fixture.ts')], {
    cwd: libraryRoot,
    input: code,
    encoding: 'utf8',
    env: { ...process.env, NX_DAEMON: 'false' },
  });
  if (!run.stdout) throw new Error(`eslint produced no report: ${run.stderr}`);
  const [result] = JSON.parse(run.stdout) as Array<{ messages: Array<{ ruleId: string | null; message: string }> }>;
  return result.messages
    .filter((m) => m.ruleId === '@typescript-eslint/no-restricted-imports' || m.ruleId === 'no-restricted-globals')
    .map((m) => m.message);
}

async function bundle() {
  const result = await build({
    entryPoints: [resolve(libraryRoot, 'src/index.ts')],
    bundle: true,
    write: false,
    metafile: true,
    format: 'iife',
    globalName: 'mobileClient',
    platform: 'neutral',
    target: 'es2020',
    absWorkingDir: libraryRoot,
    logLevel: 'silent',
  });
  return { code: result.outputFiles[0].text, inputs: Object.keys(result.metafile.inputs) };
}

describe('the mobile client runs in React Native', () => {
  it.each([
    ["import { request } from 'undici';\nexport const r = request;", /global fetch/],
    ["import { randomUUID } from 'node:crypto';\nexport const r = randomUUID;", /no Node built-ins/],
    ["import { createHash } from 'crypto';\nexport const r = createHash;", /no Node built-ins/],
    ["import { ServiceClientCore } from '@bartholomew/platform';\nexport const r = ServiceClientCore;", /server platform/],
    ["import { ServiceClientCore } from '@bartholomew/platform/http-client';\nexport const r = ServiceClientCore;", /server platform/],
    ["import { HomeSchema } from '@bartholomew/contracts-mobile-experience';\nexport const r = HomeSchema;", /types only/],
    ['export const r = Buffer.from("a");', /Not in React Native/],
  ])('lint refuses %s', (code, message) => {
    expect(lintErrors(code).join('\n')).toMatch(message);
  });

  it('lint accepts type imports of the contract', () => {
    expect(lintErrors("import type { Home } from '@bartholomew/contracts-mobile-experience';\nexport type H = Home;\n")).toEqual([]);
  });

  it('bundles for a neutral platform with nothing but its own source: no Node built-ins, no TypeBox, no undici', async () => {
    const { inputs } = await bundle();
    expect(inputs.length).toBeGreaterThan(0);
    for (const input of inputs) expect(input).toMatch(/^src\/[\w-]+\.ts$/);
  });

  it('runs with only the web APIs React Native provides', async () => {
    const { code } = await bundle();
    const sent: string[] = [];
    const sandbox = {
      fetch: async (url: string) => {
        sent.push(url);
        return new Response(JSON.stringify({ accounts: [] }), { status: 200, headers: { 'content-type': 'application/json', etag: '"e"' } });
      },
      AbortController,
      Response,
      Headers,
      setTimeout,
      clearTimeout,
      Promise,
      JSON,
      Error,
      TypeError,
      Map,
      Date,
      Number,
      encodeURIComponent,
    };
    const context = createContext(sandbox);
    runInContext(code, context);
    const script = `(async () => {
      const client = new mobileClient.MobileExperienceClient({ baseUrl: 'https://api.test', getToken: () => 'token' });
      return JSON.stringify(await client.getHome());
    })()`;
    await expect(runInContext(script, context)).resolves.toBe('{"accounts":[]}');
    expect(sent).toEqual(['https://api.test/v1/home']);
    expect(runInContext('typeof require + typeof process + typeof Buffer', context)).toBe('undefinedundefinedundefined');
  });
});
