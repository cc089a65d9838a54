import type { PoolClient } from 'pg';
import type { FastifyBaseLogger } from 'fastify';
import type { PiiVault } from '@bartholomew/platform/server';
import type { AccountSystemClient } from '@bartholomew/clients-account-system';
import type { BillingSystemClient } from '@bartholomew/clients-billing-system';
import type { OnboardingChanges, OnboardingRecord } from '../onboarding/onboarding-repository';
import type { KycProvider } from '../kyc/kyc-provider';
import type { AchVerifier } from '../ach-verification/ach-verifier';

/** What a step needs: the downstream ports, the vault for the encrypted PII, a logger. */
export interface StepContext {
  pii: PiiVault;
  log: FastifyBaseLogger;
  accountSystem: AccountSystemClient;
  billingSystem: BillingSystemClient;
  kyc: KycProvider;
  ach: AchVerifier;
  /** End users whose onboardings are recorded against this customer (ownership of its data). */
  customerOwners(customerId: string): Promise<string[]>;
  /** Forwarded as x-request-id on every downstream call of this attempt. */
  requestId: string;
  /** How many tries the applicant gets to confirm micro-deposits. */
  microDeposits: { maxAttempts: number };
  mail: { from: string; messageIdDomain: string };
  now(): Date;
}

/**
 * What a step decided. The workflow commits it — step row, onboarding row, next job and any
 * `alsoInTransaction` writes (the email outbox) — in one transaction.
 * Transient faults are not results: a step throws them, and the workflow retries the step.
 */
export type StepResult =
  | {
      kind: 'succeeded';
      outcome: string;
      changes?: OnboardingChanges;
      alsoInTransaction?: (client: PoolClient, onboarding: OnboardingRecord) => Promise<void>;
    }
  | {
      /** Blocked on a person: the applicant (micro-deposits) or an operator (review). */
      kind: 'waiting';
      outcome: string;
      status: 'awaiting_customer' | 'in_review';
      reason?: string;
      changes?: OnboardingChanges;
      /** Run the workflow again at this time even if nobody acts (e.g. to expire micro-deposits). */
      wakeAt?: Date;
    }
  | {
      /** KYC or ACH said no: the onboarding ends `rejected`; nothing was created downstream. */
      kind: 'rejected';
      outcome: string;
      code: string;
      message: string;
      changes?: OnboardingChanges;
    }
  | {
      /** Refused for good: the onboarding ends `failed`, after compensating what was created. */
      kind: 'failed';
      outcome: string;
      code: string;
      message: string;
      /** What was created before the refusal (e.g. the billing account), so compensation finds it. */
      changes?: OnboardingChanges;
    };

/** Every downstream write of an onboarding carries this key: stable across retries, crashes and replicas. */
export function downstreamKey(onboardingId: string, operation: string): string {
  return `onboarding:${onboardingId}:${operation}`;
}
