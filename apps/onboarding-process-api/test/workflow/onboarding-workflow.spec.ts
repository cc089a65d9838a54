import type { Onboarding } from '@bartholomew/contracts-onboarding-process';
import { SandboxKycTestSsn } from '../../src/kyc';
import { SANDBOX_FIXED_MICRO_DEPOSITS } from '../../src/ach-verification';
import {
  application,
  buildTestApp,
  expectProblem,
  isFinal,
  MICRO_DEPOSIT_ROUTING,
  startOnboarding,
  waitForOnboarding,
  waitUntil,
  withdrawPlanFromBilling,
  type TestApp,
} from '../helper';
import { startSmtpSink, type SmtpSink } from '@bartholomew/testing';
import { PROCESS_SECRET, startSystemApis, type SystemApis } from '../support/system-apis';

/**
 * The workflow end to end: the Process API (in process, worker on) against the REAL account and
 * billing System APIs over HTTP, each on its own database, and a real SMTP server.
 */
describe('onboarding workflow', () => {
  let systems: SystemApis;
  let smtp: SmtpSink;
  let test: TestApp;
  beforeAll(async () => {
    systems = await startSystemApis();
    smtp = await startSmtpSink();
    test = await buildTestApp(systems, { env: { SMTP_URL: smtp.url } });
  });
  afterAll(async () => {
    await test?.close();
    await smtp?.close();
    await systems?.close();
  });

  const stepStates = (onboarding: Onboarding) => Object.fromEntries(onboarding.timeline.map((step) => [step.name, step.state]));
  const customersNamed = async (legalName: string) =>
    Number((await systems.account.query<{ count: string }>('SELECT count(*) FROM customers WHERE legal_name = $1', [legalName]))[0].count);
  const accountsOfCustomer = async (customerId: string) =>
    Number((await systems.account.query<{ count: string }>('SELECT count(*) FROM accounts WHERE customer_id = $1', [customerId]))[0].count);
  const mailsFor = (onboardingId: string) => smtp.messages.filter((mail) => mail.raw.includes(onboardingId));

  it('completes an application with instant ACH: customer, account, billing, deposit posted once, welcome email sent once', async () => {
    const started = await startOnboarding(test, application({ deposit: 2500 }));
    const done = await waitForOnboarding(test, started.id, isFinal);
    expect(done.status).toBe('completed');
    expect(stepStates(done)).toEqual({
      kyc: 'succeeded',
      ach_verification: 'succeeded',
      open_account: 'succeeded',
      billing_setup: 'succeeded',
      opening_deposit: 'succeeded',
      welcome_email: 'succeeded',
    });
    expect(done.timeline.every((step) => step.attempts === 1 && step.startedAt && step.finishedAt)).toBe(true);
    expect(done.accountNumberMasked).toMatch(/^•••\d{4}$/);

    const overview = await test.call({ url: `/v1/customers/${done.customerId}/overview` });
    expect(overview.statusCode).toBe(200);
    expect(overview.json()).toMatchObject({
      customer: { customerId: done.customerId, legalName: 'Ada Lovelace' },
      accounts: [{ accountId: done.accountId, status: 'active', ledgerBalance: { amountMinor: 2500, currency: 'USD' } }],
      billingAccounts: [
        {
          billingAccountId: done.billingAccountId,
          accountId: done.accountId,
          status: 'open',
          plan: { planCode: 'basic-checking' },
          paymentMethod: { status: 'verified', accountNumberMasked: expect.stringMatching(/^•••\d{4}$/) },
        },
      ],
      unavailable: [],
    });
    expect(overview.json().accounts[0].recentTransactions).toHaveLength(1);

    await waitUntil(() => mailsFor(started.id).length > 0, 10_000, 'the welcome email');
    const [mail] = mailsFor(started.id);
    expect(mail.to).toEqual(['ada@example.com']);
    expect(mail.messageId).toBe(`<onboarding-${started.id}.welcome@onboarding.bartholomew.capital>`);
    expect(mail.raw).toContain(String(done.accountNumberMasked).slice(-4));
    // Counted in the System APIs' own databases.
    const transactions = await systems.account.query<{ count: string }>('SELECT count(*) FROM account_transactions WHERE account_id = $1', [
      done.accountId,
    ]);
    expect(Number(transactions[0].count)).toBe(1);
    expect(await accountsOfCustomer(String(done.customerId))).toBe(1);
  });

  it('reports step results, onboardings by status and the worker pool to operators', async () => {
    const started = await startOnboarding(test, application({ deposit: 1000 }));
    expect((await waitForOnboarding(test, started.id, isFinal)).status).toBe('completed');
    const metrics = (await test.app.inject({ url: '/metrics' })).body;
    for (const step of ['kyc', 'ach_verification', 'open_account', 'billing_setup', 'opening_deposit', 'welcome_email']) {
      expect(metrics).toMatch(new RegExp(`onboarding_steps_total\\{[^}]*step="${step}"[^}]*result="succeeded"[^}]*\\} [1-9]`));
    }
    expect(metrics).toMatch(/onboardings\{[^}]*status="completed"[^}]*\} [1-9]/);
    const ready = await test.app.inject({ url: '/health/ready' });
    expect(ready.statusCode).toBe(200);
    expect(ready.json().checks.components).toEqual({ 'workflow-worker': 'ok' });
  });

  it('waits for the applicant to confirm micro-deposits, then completes', async () => {
    const started = await startOnboarding(test, application({ routingNumber: MICRO_DEPOSIT_ROUTING, accountNumber: '40001113245', deposit: null }));
    const waiting = await waitForOnboarding(test, started.id, (o) => o.status === 'awaiting_customer');
    expect(stepStates(waiting).ach_verification).toBe('waiting');
    expect(waiting.pendingAction).toMatchObject({ action: 'confirm_micro_deposits', attemptsRemaining: 3 });
    expect(waiting.customerId).toBeUndefined();

    const wrong = await test.call({ method: 'POST', url: `/v1/onboardings/${started.id}/ach-confirmation`, payload: { amountsMinor: [1, 2] } });
    expectProblem(wrong, 422, 'MICRO_DEPOSIT_AMOUNTS_MISMATCH');
    expect(wrong.json().attemptsRemaining).toBe(2);

    const right = await test.call({
      method: 'POST',
      url: `/v1/onboardings/${started.id}/ach-confirmation`,
      payload: { amountsMinor: [SANDBOX_FIXED_MICRO_DEPOSITS[1], SANDBOX_FIXED_MICRO_DEPOSITS[0]] },
    });
    expect(right.statusCode).toBe(200);
    const done = await waitForOnboarding(test, started.id, isFinal);
    expect(done.status).toBe('completed');
    expect(done.timeline.find((s) => s.name === 'ach_verification')).toMatchObject({ state: 'succeeded', outcome: 'micro_deposits_confirmed' });
    expect(stepStates(done).opening_deposit).toBe('skipped');

    const again = await test.call({ method: 'POST', url: `/v1/onboardings/${started.id}/ach-confirmation`, payload: { amountsMinor: [32, 45] } });
    expectProblem(again, 409, 'NO_MICRO_DEPOSITS_PENDING');
  });

  it('rejects the application after too many wrong micro-deposit amounts, and opens no account', async () => {
    const body = application({ routingNumber: MICRO_DEPOSIT_ROUTING, accountNumber: '40002223245', legalName: 'Wrong Amounts Applicant' });
    const started = await startOnboarding(test, body);
    await waitForOnboarding(test, started.id, (o) => o.status === 'awaiting_customer');
    const confirm = () => test.call({ method: 'POST', url: `/v1/onboardings/${started.id}/ach-confirmation`, payload: { amountsMinor: [10, 11] } });
    expect((await confirm()).json().attemptsRemaining).toBe(2);
    expect((await confirm()).json().attemptsRemaining).toBe(1);
    const last = await confirm();
    expectProblem(last, 422, 'MICRO_DEPOSIT_AMOUNTS_MISMATCH');
    expect(last.json().attemptsRemaining).toBe(0);

    const rejected = await waitForOnboarding(test, started.id, isFinal);
    expect(rejected).toMatchObject({ status: 'rejected', reason: { code: 'MICRO_DEPOSIT_ATTEMPTS_EXCEEDED' } });
    expect(rejected.timeline.find((s) => s.name === 'ach_verification')).toMatchObject({ state: 'failed', outcome: 'attempts_exceeded' });
    expect(stepStates(rejected).open_account).toBe('skipped');
    expectProblem(await confirm(), 409, 'NO_MICRO_DEPOSITS_PENDING');
    expect(await customersNamed('Wrong Amounts Applicant')).toBe(0);
  });

  it('rejects an applicant KYC refuses, and never opens an account', async () => {
    const body = application({ ssn: SandboxKycTestSsn.rejectDeceased, legalName: 'Kyc Rejected Applicant' });
    const started = await startOnboarding(test, body);
    const rejected = await waitForOnboarding(test, started.id, isFinal);
    expect(rejected).toMatchObject({ status: 'rejected', reason: { code: 'SSN_REPORTED_DECEASED' } });
    expect(stepStates(rejected)).toMatchObject({ kyc: 'failed', ach_verification: 'skipped', open_account: 'skipped' });
    expect(await customersNamed('Kyc Rejected Applicant')).toBe(0);
  });

  it('holds an application for manual review until an operator approves it', async () => {
    const started = await startOnboarding(test, application({ ssn: SandboxKycTestSsn.reviewPartialMatch, deposit: null }));
    const held = await waitForOnboarding(test, started.id, (o) => o.status === 'in_review');
    expect(held.timeline.find((s) => s.name === 'kyc')).toMatchObject({ state: 'waiting', outcome: 'manual_review' });

    const byApplicant = await test.call({
      method: 'POST',
      url: `/v1/onboardings/${started.id}/review`,
      payload: { decision: 'approve', reason: 'me' },
    });
    expectProblem(byApplicant, 403, 'OPERATOR_ONLY');

    const approved = await test.call({
      method: 'POST',
      url: `/v1/onboardings/${started.id}/review`,
      payload: { decision: 'approve', reason: 'Documents checked by hand' },
      as: 'operator',
      endUser: null,
    });
    expect(approved.statusCode).toBe(200);
    const done = await waitForOnboarding(test, started.id, isFinal);
    expect(done.status).toBe('completed');
    expect(done.timeline.find((s) => s.name === 'kyc')).toMatchObject({ state: 'succeeded', outcome: 'approved_on_review' });

    const late = await test.call({
      method: 'POST',
      url: `/v1/onboardings/${started.id}/review`,
      payload: { decision: 'reject', reason: 'x' },
      as: 'operator',
      endUser: null,
    });
    expectProblem(late, 409, 'ONBOARDING_NOT_IN_REVIEW');
  });

  it('rejects an application the operator rejects on review, without opening anything', async () => {
    const started = await startOnboarding(test, application({ ssn: SandboxKycTestSsn.reviewPartialMatch }));
    await waitForOnboarding(test, started.id, (o) => o.status === 'in_review');
    const res = await test.call({
      method: 'POST',
      url: `/v1/onboardings/${started.id}/review`,
      payload: { decision: 'reject', reason: 'Identity documents do not match' },
      as: 'operator',
      endUser: null,
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'rejected', reason: { code: 'KYC_REJECTED_ON_REVIEW', message: 'Identity documents do not match' } });
    expect(res.json().customerId).toBeUndefined();
  });

  it('fails an onboarding whose billing setup is refused for good, and closes the account it opened', async () => {
    const started = await startOnboarding(test, application({ planCode: await withdrawPlanFromBilling(systems) }));
    const failed = await waitForOnboarding(test, started.id, isFinal);
    expect(failed.status).toBe('failed');
    expect(failed.reason?.code).toBe('BILLING_SETUP_REFUSED');
    expect(failed.reason?.message).toMatch(/UNKNOWN_FEE_PLAN.*account closed/);
    expect(stepStates(failed)).toMatchObject({
      open_account: 'succeeded',
      billing_setup: 'failed',
      opening_deposit: 'skipped',
      welcome_email: 'skipped',
    });
    const [account] = await systems.account.query<{ status: string }>('SELECT status FROM accounts WHERE id = $1', [failed.accountId]);
    expect(account.status).toBe('closed');
    expect(mailsFor(started.id)).toHaveLength(0);
  });

  it('serves the customer overview only to the end user whose onboarding created the customer, and without billing while billing is down', async () => {
    const done = await waitForOnboarding(test, (await startOnboarding(test, application(), 'user-overview')).id, isFinal);
    expect(done.status).toBe('completed');
    const url = `/v1/customers/${done.customerId}/overview`;
    expectProblem(await test.call({ url, endUser: 'user-mallory' }), 404, 'CUSTOMER_NOT_FOUND');
    expect((await test.call({ url, as: 'operator', endUser: null })).statusCode).toBe(200);

    await systems.billing.stop();
    try {
      const degraded = await test.call({ url, endUser: 'user-overview' });
      expect(degraded.statusCode).toBe(200);
      expect(degraded.json()).toMatchObject({ unavailable: ['billing'], billingAccounts: [], accounts: [{ accountId: done.accountId }] });
    } finally {
      await systems.billing.start();
    }
  });

  it('never writes the SSN or the bank account number to a log, here or in the System APIs', async () => {
    const ssn = '287-65-4321';
    const accountNumber = '98765432107';
    const started = await startOnboarding(test, application({ ssn, accountNumber, routingNumber: MICRO_DEPOSIT_ROUTING }));
    await waitForOnboarding(test, started.id, (o) => o.status === 'awaiting_customer');
    await test.call({ method: 'POST', url: `/v1/onboardings/${started.id}/ach-confirmation`, payload: { amountsMinor: [1, 1] } });
    const logs = [test.logs.text(), systems.account.logs.text(), systems.billing.logs.text()].join('\n');
    expect(logs).toContain(started.id); // the logs are there, and about this onboarding
    for (const canary of [ssn, ssn.replace(/-/g, ''), accountNumber]) expect(logs).not.toContain(canary);
    expect(logs).not.toContain(PROCESS_SECRET);
  });

  it('runs onboardings on two replicas sharing the database, each step once: one customer, account, deposit and email each', async () => {
    const replica = await buildTestApp(systems, { database: test.database, env: { SMTP_URL: smtp.url } });
    try {
      const names = Array.from({ length: 6 }, (_, i) => `Replica Applicant ${i}`);
      const started = await Promise.all(names.map((legalName, i) => startOnboarding(i % 2 ? replica : test, application({ legalName }))));
      const done = await Promise.all(started.map((o) => waitForOnboarding(test, o.id, isFinal, 30_000)));
      expect(done.map((o) => o.status)).toEqual(names.map(() => 'completed'));
      for (const [i, legalName] of names.entries()) {
        expect(await customersNamed(legalName)).toBe(1);
        expect(await accountsOfCustomer(String(done[i].customerId))).toBe(1);
        const deposits = await systems.account.query<{ count: string }>('SELECT count(*) FROM account_transactions WHERE account_id = $1', [
          done[i].accountId,
        ]);
        expect(Number(deposits[0].count)).toBe(1);
        expect(done[i].timeline.every((step) => step.attempts <= 1)).toBe(true);
      }
      await waitUntil(() => started.every((o) => mailsFor(o.id).length > 0), 10_000, 'the welcome emails');
      for (const o of started) expect(mailsFor(o.id)).toHaveLength(1);
      // Both replicas did work.
      expect(test.logs.text()).toContain('onboarding step committed');
      expect(replica.logs.text()).toContain('onboarding step committed');
    } finally {
      await replica.close();
    }
  });

  it('retries KYC and ACH verification through provider outages, then completes', async () => {
    const started = await startOnboarding(
      test,
      application({ ssn: SandboxKycTestSsn.unavailableTwice, accountNumber: '40004449999', deposit: null }),
    );
    const done = await waitForOnboarding(test, started.id, isFinal);
    expect(done.status).toBe('completed');
    expect(done.timeline.find((s) => s.name === 'kyc')).toMatchObject({ state: 'succeeded', attempts: 3 });
    expect(done.timeline.find((s) => s.name === 'ach_verification')).toMatchObject({ state: 'succeeded', attempts: 3 });
    expect(done.timeline.find((s) => s.name === 'kyc')?.reason).toBeUndefined();
  });

  it('waits while the billing System API is down, then completes once it is back, creating everything once', async () => {
    await systems.billing.stop();
    try {
      const started = await startOnboarding(test, application());
      const retrying = await waitForOnboarding(test, started.id, (o) => (o.timeline.find((s) => s.name === 'billing_setup')?.attempts ?? 0) >= 2);
      expect(retrying.status).toBe('in_progress');
      expect(retrying.timeline.find((s) => s.name === 'billing_setup')?.reason).toMatch(/^Retrying: billing-system-api is unavailable/);
      await systems.billing.start();
      const done = await waitForOnboarding(test, started.id, isFinal, 30_000);
      expect(done.status).toBe('completed');
      const billingAccounts = await systems.billing.query<{ count: string }>('SELECT count(*) FROM billing_accounts WHERE account_id = $1', [
        done.accountId,
      ]);
      expect(Number(billingAccounts[0].count)).toBe(1);
      expect(await accountsOfCustomer(String(done.customerId))).toBe(1);
    } finally {
      await systems.billing.start().catch(() => undefined);
    }
  });
});
