#!/usr/bin/env node
/**
 * `npm run demo`: walks two onboardings through the mobile Experience API exactly as the phone
 * app does — through the mobile client library (libs/clients/mobile-experience), with a dev token —
 * and prints each step. Needs the stack running (`npm start`).
 *
 *   1. instant ACH verification: sign up → follow (long polls) → welcome → home, account detail, billing;
 *   2. micro-deposits: sign up → follow → verify deposits (the sandbox sends 32 and 45 cents to an
 *      account number ending 3245) → follow → welcome → home.
 *
 *   node tools/demo.mjs [--url http://127.0.0.1:3301]
 *
 * The client library is TypeScript; this runner bundles it on the fly with esbuild for a neutral
 * platform (the same bundle a React Native app would ship) and runs it with Node's global fetch.
 */
import { randomInt, randomUUID } from 'node:crypto';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';
import { signDevToken } from './dev-token.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { values: args } = parseArgs({ options: { url: { type: 'string', default: 'http://127.0.0.1:3301' } } });

const bold = (text) => (process.stdout.isTTY ? `\x1b[1m${text}\x1b[0m` : text);
const step = (title, detail) => console.log(`${bold(`▸ ${title}`)}${detail === undefined ? '' : `\n  ${JSON.stringify(detail)}`}`);

async function loadMobileClient() {
  const result = await build({
    entryPoints: [join(root, 'libs/clients/mobile-experience/src/index.ts')],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'neutral',
    target: 'es2022',
    logLevel: 'error',
  });
  return import(`data:text/javascript;base64,${Buffer.from(result.outputFiles[0].text).toString('base64')}`);
}

/** A valid SSN outside the sandbox's test values (area 200–599; serials to 9998, as 219-09-9999 is voided), so each demo applicant is new. */
const freshSsn = () => `${randomInt(200, 600)}-${String(randomInt(1, 100)).padStart(2, '0')}-${String(randomInt(1, 9999)).padStart(4, '0')}`;

function signUpForm({ firstName, routingNumber, accountNumber }) {
  return {
    firstName,
    lastName: 'Demo',
    dateOfBirth: '1990-04-01',
    ssn: freshSsn(),
    email: `${firstName.toLowerCase()}@example.com`,
    phone: '+12125550123',
    address: { street: '1 Main St', city: 'New York', state: 'NY', zip: '10001' },
    account: 'checking',
    plan: 'basic-checking',
    bank: { routingNumber, accountNumber, type: 'checking' },
    initialDepositCents: 2500,
  };
}

/** Follows the application as the app does: each read is held by the API until the screen changes (Prefer: wait). */
async function followWhileProcessing(client, answer) {
  let current = answer;
  const deadline = Date.now() + 60_000;
  while (current.next === 'processing' || current.next === 'in_review') {
    if (Date.now() > deadline) throw new Error(`still ${current.next} after 60 s`);
    const previous = JSON.stringify(current);
    current = await client.followNextStep(current.id, { waitSeconds: 10 });
    if (JSON.stringify(current) !== previous) step('what next? (held until it changed)', current);
  }
  return current;
}

async function showBanking(client) {
  const home = await client.getHome();
  step('home screen', home);
  const [account] = home.accounts;
  if (account) step(`account detail ${account.number}`, await client.getAccount(account.id, { limit: 5 }));
  step('billing', await client.getBilling());
  const again = await client.getHome();
  step('home screen again: revalidated with its ETag', { status: client.lastStatus(), sameCopyReused: again === home });
}

async function journey(mobile, { name, routingNumber, accountNumber, deposits }) {
  console.log(`\n${bold(`=== ${name} ===`)}`);
  const subject = `demo-${name.toLowerCase().replace(/\W+/g, '-')}-${randomUUID().slice(0, 8)}`;
  const token = await signDevToken({ sub: subject, ttl: '15m' });
  step(`dev token for ${subject}`, `${token.slice(0, 24)}…`);
  // The platform's fetch, noting each answer's status so the demo can show the 304s.
  const statuses = [];
  const fetchNotingStatus = async (url, init) => {
    const response = await fetch(url, init);
    statuses.push(response.status);
    return response;
  };
  const client = new mobile.MobileExperienceClient({ baseUrl: args.url, getToken: () => token, fetch: fetchNotingStatus });
  client.lastStatus = () => statuses[statuses.length - 1];

  const form = signUpForm({ firstName: name.split(' ')[0], routingNumber, accountNumber });
  step('submit sign-up form', {
    ...form,
    ssn: '•••-••-' + form.ssn.slice(-4),
    bank: { ...form.bank, accountNumber: '•••' + accountNumber.slice(-4) },
  });
  let answer = await client.startOnboarding(form, { idempotencyKey: randomUUID() });
  step('accepted', answer);
  answer = await followWhileProcessing(client, answer);

  if (answer.next === 'verify_deposits') {
    step(`confirm deposits of ${deposits.join(' and ')} cents`);
    answer = await client.confirmDeposits(answer.id, deposits);
    step('confirmed', answer);
    answer = await followWhileProcessing(client, answer);
  }
  if (answer.next !== 'welcome') throw new Error(`the onboarding ended ${answer.next}: ${answer.reason?.message ?? ''}`);
  step('welcome!', answer);
  await showBanking(client);
}

async function main() {
  const health = await fetch(`${args.url}/health/ready`).catch(() => undefined);
  if (!health?.ok) throw new Error(`the mobile Experience API does not answer at ${args.url} — start the stack first (npm start)`);
  const mobile = await loadMobileClient();
  await journey(mobile, { name: 'Ada instant', routingNumber: '011000015', accountNumber: `${randomInt(10_000_000, 99_999_999)}7` });
  await journey(mobile, {
    name: 'Grace micro-deposits',
    routingNumber: '021000021',
    accountNumber: `${randomInt(10_000, 99_999)}3245`,
    deposits: [32, 45],
  });
  console.log(`\n${bold('demo complete')}`);
}

main().catch((error) => {
  const problem = error?.problem ? ` ${JSON.stringify(error.problem)}` : '';
  console.error(`\ndemo failed: ${error.message}${problem}`);
  process.exit(1);
});
