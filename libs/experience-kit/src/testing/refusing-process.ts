import { ONBOARDING_PROCESS_API } from '@bartholomew/clients-onboarding-process';
import { OnboardingRefusalCode as Code, type OnboardingRefusalCode } from '@bartholomew/contracts-onboarding-process';
import { DownstreamRejected, type BreakerState } from '@bartholomew/platform';
import type { CapturedLogs } from '@bartholomew/testing';
import type { OnboardingProcess, ProcessOperation } from '../process/onboarding-process';

/** What the end user gets: a 4xx with one of the Experience API's codes, or — for our own faults — a neutral 500. */
export type ExpectedAnswer =
  | { status: number; code: string; attemptsLeft?: number }
  | {
      status: 500;
      code: 'INTERNAL_ERROR';
      logged: 'PROCESS_REFUSED_OUR_REQUEST';
    };

/** Written out here, not imported from the kit's table: the walk checks the table independently. */
const isApplication = (operation: ProcessOperation) => operation === 'startOnboarding' || operation === 'openAdditionalAccount';

const ours = {
  status: 500,
  code: 'INTERNAL_ERROR',
  logged: 'PROCESS_REFUSED_OUR_REQUEST',
} as const;

/**
 * Each refusal code of the Process API's contract: the status the Process API answers it with,
 * and what an Experience API answers for it, by the operation that was refused. Written out here
 * independently of the kit's translation table, so that a code added to the contract fails the
 * walk until both say what it becomes.
 */
const WALK: {
  readonly [C in OnboardingRefusalCode]: {
    downstreamStatus: number;
    answer: (operation: ProcessOperation) => ExpectedAnswer;
  };
} = {
  [Code.ONBOARDING_NOT_FOUND]: {
    downstreamStatus: 404,
    answer: () => ({ status: 404, code: 'ONBOARDING_NOT_FOUND' }),
  },
  [Code.CUSTOMER_NOT_FOUND]: {
    downstreamStatus: 404,
    answer: () => ({ status: 404, code: 'CUSTOMER_NOT_FOUND' }),
  },
  [Code.ACCOUNT_NOT_FOUND]: {
    downstreamStatus: 404,
    answer: () => ({ status: 404, code: 'ACCOUNT_NOT_FOUND' }),
  },
  [Code.INVALID_CURSOR]: {
    downstreamStatus: 400,
    answer: () => ({ status: 400, code: 'INVALID_CURSOR' }),
  },
  [Code.INVALID_DATE_RANGE]: {
    downstreamStatus: 400,
    answer: () => ({ status: 400, code: 'INVALID_DATE_RANGE' }),
  },
  [Code.APPLICATION_FIELDS_INVALID]: {
    downstreamStatus: 422,
    answer: (operation) => (isApplication(operation) ? { status: 422, code: 'APPLICATION_FIELDS_INVALID' } : ours),
  },
  [Code.NO_MICRO_DEPOSITS_PENDING]: {
    downstreamStatus: 409,
    answer: () => ({ status: 409, code: 'NO_MICRO_DEPOSITS_PENDING' }),
  },
  [Code.MICRO_DEPOSITS_EXPIRED]: {
    downstreamStatus: 409,
    answer: () => ({ status: 409, code: 'MICRO_DEPOSITS_EXPIRED' }),
  },
  [Code.MICRO_DEPOSIT_AMOUNTS_MISMATCH]: {
    downstreamStatus: 422,
    answer: () => ({
      status: 422,
      code: 'MICRO_DEPOSIT_AMOUNTS_MISMATCH',
      attemptsLeft: 2,
    }),
  },
  [Code.ONBOARDING_NOT_IN_REVIEW]: {
    downstreamStatus: 409,
    answer: () => ours,
  },
  [Code.END_USER_REQUIRED]: { downstreamStatus: 400, answer: () => ours },
  [Code.OWNER_MISMATCH]: { downstreamStatus: 403, answer: () => ours },
  [Code.OPERATOR_ONLY]: { downstreamStatus: 403, answer: () => ours },
  [Code.VALIDATION_FAILED]: {
    downstreamStatus: 400,
    answer: (operation) => ({
      status: 400,
      code: isApplication(operation) ? 'APPLICATION_INVALID' : 'VALIDATION_FAILED',
    }),
  },
  [Code.INVALID_PARAMETER]: {
    downstreamStatus: 400,
    answer: (operation) => ({
      status: 400,
      code: isApplication(operation) ? 'APPLICATION_INVALID' : 'VALIDATION_FAILED',
    }),
  },
  [Code.MALFORMED_JSON]: { downstreamStatus: 400, answer: () => ours },
  [Code.BAD_REQUEST]: { downstreamStatus: 400, answer: () => ours },
  [Code.UNSUPPORTED_MEDIA_TYPE]: { downstreamStatus: 415, answer: () => ours },
  [Code.PAYLOAD_TOO_LARGE]: { downstreamStatus: 413, answer: () => ours },
  [Code.ROUTE_NOT_FOUND]: { downstreamStatus: 404, answer: () => ours },
  [Code.UNAUTHENTICATED_CALLER]: { downstreamStatus: 401, answer: () => ours },
  [Code.CALLER_NOT_ALLOWED]: { downstreamStatus: 403, answer: () => ours },
  [Code.IDEMPOTENCY_KEY_REUSED]: {
    downstreamStatus: 422,
    answer: () => ({ status: 422, code: 'IDEMPOTENCY_KEY_REUSED' }),
  },
  [Code.IDEMPOTENT_REQUEST_IN_PROGRESS]: {
    downstreamStatus: 409,
    answer: () => ({ status: 409, code: 'IDEMPOTENT_REQUEST_IN_PROGRESS' }),
  },
};

/**
 * Every code of the contract (read from the contract, not from this file), with its expected
 * answer; throws for a code nobody has said an answer for.
 */
export function refusalWalk(): Array<{
  code: OnboardingRefusalCode;
  downstreamStatus: number;
  answer: (operation: ProcessOperation) => ExpectedAnswer;
}> {
  return Object.values(Code).map((code) => {
    const step = (WALK as Partial<typeof WALK>)[code];
    if (!step) throw new Error(`No expected answer for the Process API's ${code}: add its translation (PROCESS_REFUSALS) and its expectation here`);
    return { code, ...step };
  });
}

/** A Process API port whose every call is refused with the current code, as its HTTP client would raise it. */
export class RefusingProcess implements OnboardingProcess {
  readonly name = ONBOARDING_PROCESS_API;
  /** The operations refused since the last `refuseWith`, in order. */
  readonly refused: ProcessOperation[] = [];
  private code: string = Code.ONBOARDING_NOT_FOUND;
  private status = 404;

  refuseWith(code: string, status: number): void {
    this.code = code;
    this.status = status;
    this.refused.length = 0;
  }

  breakerState(): BreakerState {
    return 'closed';
  }

  /** Nothing to release: no connections. */
  close(): Promise<void> {
    return Promise.resolve();
  }

  startOnboarding = () => this.refuse('startOnboarding');
  openAdditionalAccount = () => this.refuse('openAdditionalAccount');
  getOnboarding = () => this.refuse('getOnboarding');
  followOnboarding = () => this.refuse('followOnboarding');
  listOnboardings = () => this.refuse('listOnboardings');
  confirmMicroDeposits = () => this.refuse('confirmMicroDeposits');
  getCustomerOverview = () => this.refuse('getCustomerOverview');
  listCustomers = () => this.refuse('listCustomers');
  listAccountTransactions = () => this.refuse('listAccountTransactions');
  listProducts = () => this.refuse('listProducts');

  private refuse(operation: ProcessOperation): Promise<never> {
    this.refused.push(operation);
    const problem = {
      type: `urn:problem:${this.code.toLowerCase()}`,
      title: 'Refused',
      status: this.status,
      code: this.code,
      attemptsRemaining: 2,
    };
    return Promise.reject(new DownstreamRejected(ONBOARDING_PROCESS_API, this.status, problem));
  }
}

/** The `code`s of the errors a service logged. */
function loggedErrorCodes(logs: CapturedLogs): string[] {
  return logs.records().flatMap((record) => {
    const code = (record.err as { code?: unknown } | undefined)?.code;
    return typeof code === 'string' ? [code] : [];
  });
}

/** One request to the Experience API under test, as its end user; answers status, headers and body. */
export type SendAsUser = (route: RouteCall) => Promise<{
  statusCode: number;
  headers: Record<string, unknown>;
  json(): { code?: unknown; attemptsLeft?: unknown };
}>;
export interface RouteCall {
  method: 'GET' | 'POST';
  url: string;
  payload?: object;
  headers?: Record<string, string>;
}

/**
 * Sends every route while the port refuses with `code`, and lists each answer that is not the
 * expected one: status and code; for a refusal passed on, a code of the API's own (`ownCodes`);
 * for our own fault, the 500 logged with PROCESS_REFUSED_OUR_REQUEST (read from the service's
 * captured `logs`). Empty when the API translates `code` everywhere.
 */
export async function refusalMismatches(options: {
  step: ReturnType<typeof refusalWalk>[number];
  process: RefusingProcess;
  routes: RouteCall[];
  send: SendAsUser;
  ownCodes: ReadonlySet<string>;
  logs: CapturedLogs;
}): Promise<string[]> {
  const { step, process, routes, send, ownCodes, logs } = options;
  const mismatches: string[] = [];
  for (const route of routes) {
    process.refuseWith(step.code, step.downstreamStatus);
    logs.clear();
    const res = await send(route);
    const [operation] = process.refused;
    if (!operation) {
      mismatches.push(`${route.method} ${route.url}: never called the Process API`);
      continue;
    }
    const expected = step.answer(operation);
    const body = res.json();
    const problem = String(res.headers['content-type']).startsWith('application/problem+json');
    const answered = `${res.statusCode} ${String(body.code)}${problem ? '' : ' (not problem+json)'}`;
    const wanted = `${expected.status} ${expected.code}`;
    const where = `${route.method} ${route.url} (${operation} refused with ${step.code})`;
    if (answered !== wanted) mismatches.push(`${where}: answered ${answered}, expected ${wanted}`);
    else if ('logged' in expected && !loggedErrorCodes(logs).includes(expected.logged)) mismatches.push(`${where}: not logged as ${expected.logged}`);
    else if (!('logged' in expected) && !ownCodes.has(String(body.code))) mismatches.push(`${where}: ${String(body.code)} is not a code of this API`);
    else if (!('logged' in expected) && expected.attemptsLeft !== undefined && body.attemptsLeft !== expected.attemptsLeft) {
      mismatches.push(`${where}: attemptsLeft ${String(body.attemptsLeft)}, expected ${expected.attemptsLeft}`);
    }
  }
  return mismatches;
}
