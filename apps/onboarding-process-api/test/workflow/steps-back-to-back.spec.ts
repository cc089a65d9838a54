import { application, isFinal, startOnboarding, waitForOnboarding } from '../helper';
import { useWorkflowStack } from '../support/workflow-stack';

/**
 * An onboarding's steps run back to back, each as soon as the one before is committed: none waits
 * for the worker's next poll. The poll is set far beyond the wait here, so an onboarding whose
 * second step had to be found by a poll could not finish in time.
 */
describe('an onboarding whose steps are all due at once', () => {
  const POLL_MS = 60_000;
  const stack = useWorkflowStack({ WORKFLOW_POLL_INTERVAL_MS: String(POLL_MS) });

  it('completes all six steps without waiting for a poll of the job queue', async () => {
    const { test } = stack();
    const started = await startOnboarding(test, application({ deposit: 1000 }));
    const done = await waitForOnboarding(test, started.id, isFinal, POLL_MS / 3);
    expect(done.status).toBe('completed');
    expect(done.timeline.map((step) => [step.name, step.state, step.attempts])).toEqual([
      ['kyc', 'succeeded', 1],
      ['ach_verification', 'succeeded', 1],
      ['open_account', 'succeeded', 1],
      ['billing_setup', 'succeeded', 1],
      ['opening_deposit', 'succeeded', 1],
      ['welcome_email', 'succeeded', 1],
    ]);
  });
});

/**
 * ...but only while no other job waits for a worker: with every worker busy, onboardings take turns
 * a step at a time. Otherwise, after a crash, the interrupted onboardings picked up last would wait
 * for all the steps of those picked up first before they moved at all.
 */
describe('onboardings due together on a single worker', () => {
  const stack = useWorkflowStack({ WORKFLOW_CONCURRENCY: '1', WORKFLOW_POLL_INTERVAL_MS: '100' });

  it('take turns: the others start before the first one picked up has finished', async () => {
    const { test } = stack();
    const started = await Promise.all(Array.from({ length: 4 }, () => startOnboarding(test, application({ deposit: 1000 }))));
    const done = await Promise.all(started.map((onboarding) => waitForOnboarding(test, onboarding.id, isFinal, 30_000)));
    expect(done.map((onboarding) => onboarding.status)).toEqual(['completed', 'completed', 'completed', 'completed']);
    const at = (value: string | undefined) => new Date(value ?? NaN).getTime();
    const firstFinished = Math.min(...done.map((onboarding) => at(onboarding.timeline.at(-1)?.finishedAt)));
    const startedBeforeThat = done.filter((onboarding) => at(onboarding.timeline[0]?.startedAt) < firstFinished);
    // One after another, only the first would have started by then.
    expect(startedBeforeThat).toHaveLength(4);
  });
});
