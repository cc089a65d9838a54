import { workflowConcurrency } from './config';

describe('workflowConcurrency', () => {
  it('is WORKFLOW_CONCURRENCY when set', () => {
    expect(workflowConcurrency({ WORKFLOW_CONCURRENCY: 3 }, 16)).toBe(3);
  });

  it('is sized to the machine when unset: 12 steps per core, at most 64', () => {
    expect(workflowConcurrency({}, 1)).toBe(12);
    expect(workflowConcurrency({}, 2)).toBe(24);
    expect(workflowConcurrency({}, 32)).toBe(64);
  });
});
