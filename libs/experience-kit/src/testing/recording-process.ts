import type { OnboardingProcess, ProcessOperation } from '../process/onboarding-process';

/** Every operation of the port (the type makes this list complete): what an Experience API asks the Process API. */
const OPERATIONS: { readonly [O in ProcessOperation]: true } = {
  startOnboarding: true,
  openAdditionalAccount: true,
  getOnboarding: true,
  followOnboarding: true,
  listOnboardings: true,
  confirmMicroDeposits: true,
  getCustomerOverview: true,
  listCustomers: true,
  listAccountTransactions: true,
  listProducts: true,
};
const isOperation = (property: string | symbol): property is ProcessOperation => typeof property === 'string' && Object.hasOwn(OPERATIONS, property);

/**
 * Wraps a Process API port (normally the real HTTP client) and records each operation called
 * through it, in order, so a test can say how many round trips a screen costs.
 */
export function recordingProcess(process: OnboardingProcess): {
  process: OnboardingProcess;
  calls: ProcessOperation[];
} {
  const calls: ProcessOperation[] = [];
  const recording = new Proxy(process, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (!isOperation(property)) return value;
      return (...args: unknown[]) => {
        calls.push(property);
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return { process: recording, calls };
}
