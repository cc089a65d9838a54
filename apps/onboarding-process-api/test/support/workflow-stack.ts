import { startSmtpSink, type SmtpSink } from '@bartholomew/testing';
import { buildTestApp, type TestApp } from '../helper';
import { startSystemApis, type SystemApis } from './system-apis';

export interface WorkflowStack {
  systems: SystemApis;
  smtp: SmtpSink;
  test: TestApp;
}

/**
 * For the describe it is called in: the Process API with its worker on (`env` added to its
 * settings), against the real System APIs over HTTP and a real SMTP server; all stopped afterwards.
 * The stack is there from the describe's first test on.
 */
export function useWorkflowStack(env: Record<string, string> = {}): () => WorkflowStack {
  let stack: Partial<WorkflowStack> = {};
  beforeAll(async () => {
    const systems = await startSystemApis();
    stack.systems = systems;
    const smtp = await startSmtpSink();
    stack.smtp = smtp;
    stack.test = await buildTestApp(systems, { env: { SMTP_URL: smtp.url, ...env } });
  });
  afterAll(async () => {
    await stack.test?.close();
    await stack.smtp?.close();
    await stack.systems?.close();
    stack = {};
  });
  return () => {
    const { systems, smtp, test } = stack;
    if (!systems || !smtp || !test) throw new Error('the workflow stack did not start');
    return { systems, smtp, test };
  };
}
