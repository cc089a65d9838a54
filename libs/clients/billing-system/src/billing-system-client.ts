import {
  BillingAccountListSchema,
  BillingAccountSchema,
  BillingAccountSummaryListSchema,
  billingSystemSchemas,
  FeePlanListSchema,
  FeePlanSchema,
  PaymentMethodListSchema,
  PaymentMethodSchema,
  schemaRef,
  type AddPaymentMethodRequest,
  type BillingAccount,
  type BillingAccountSummary,
  type ChangeFeePlanRequest,
  type FeePlan,
  type OpenBillingAccountRequest,
  type PaymentMethod,
  type RecordVerificationRequest,
} from '@bartholomew/contracts-billing-system';
import { TypedServiceClient, urlPath, type DownstreamHealth, type ServiceClientCoreOptions } from '@bartholomew/platform/http-client';

/** The name the billing System API goes by in breakers, errors, health and metrics. */
export const BILLING_SYSTEM_API = 'billing-system-api';

/** Every call belongs to some work of the caller; its request id travels with the call. */
export interface CallOptions {
  requestId: string;
}

/**
 * Writes that create something carry the caller's idempotency key, chosen by the caller so that a
 * retry after a crash (not only a network retry) reuses it — e.g. derived from the onboarding id.
 */
export interface IdempotentCallOptions extends CallOptions {
  idempotencyKey: string;
}

/**
 * The billing System API as a process-layer service sees it. Refusals arrive as
 * `DownstreamRejected` with the problem `code` (see `BillingProblemCode`); an unreachable or
 * failing service as `DownstreamUnavailable` / `DownstreamTimeout`.
 */
export interface BillingSystemClient extends DownstreamHealth {
  listFeePlans(options: CallOptions): Promise<FeePlan[]>;
  getFeePlan(planCode: string, options: CallOptions): Promise<FeePlan>;
  openBillingAccount(request: OpenBillingAccountRequest, options: IdempotentCallOptions): Promise<BillingAccount>;
  getBillingAccount(billingAccountId: string, options: CallOptions): Promise<BillingAccount>;
  listBillingAccountsOfCustomer(customerId: string, options: CallOptions): Promise<BillingAccount[]>;
  /** The customer's billing accounts with their payment methods, in one call. */
  listBillingAccountSummaries(customerId: string, options: CallOptions): Promise<BillingAccountSummary[]>;
  /** Not retried (no idempotency key), though asking for the same plan twice is harmless. */
  changeFeePlan(billingAccountId: string, request: ChangeFeePlanRequest, options: CallOptions): Promise<BillingAccount>;
  /** Not retried (no idempotency key); closing a closed account answers it unchanged, so the caller may repeat it. */
  closeBillingAccount(billingAccountId: string, options: CallOptions): Promise<BillingAccount>;
  addPaymentMethod(billingAccountId: string, request: AddPaymentMethodRequest, options: IdempotentCallOptions): Promise<PaymentMethod>;
  listPaymentMethods(billingAccountId: string, options: CallOptions): Promise<PaymentMethod[]>;
  getPaymentMethod(billingAccountId: string, paymentMethodId: string, options: CallOptions): Promise<PaymentMethod>;
  /** Not retried (no idempotency key); a second outcome is refused with VERIFICATION_ALREADY_RECORDED. */
  recordPaymentMethodVerification(
    billingAccountId: string,
    paymentMethodId: string,
    request: RecordVerificationRequest,
    options: CallOptions,
  ): Promise<PaymentMethod>;
  /** Stops the breaker and closes the connection pool. */
  close(): Promise<void>;
}

export type BillingSystemClientOptions = Omit<ServiceClientCoreOptions, 'name' | 'schemas'>;

// Module-level constants: the core compiles one validator per response schema object.
const FEE_PLAN_LIST = { 200: schemaRef(FeePlanListSchema) } as const;
const FEE_PLAN = { 200: schemaRef(FeePlanSchema) } as const;
const BILLING_ACCOUNT_OPENED = { 201: schemaRef(BillingAccountSchema) } as const;
const BILLING_ACCOUNT = { 200: schemaRef(BillingAccountSchema) } as const;
const BILLING_ACCOUNT_LIST = { 200: schemaRef(BillingAccountListSchema) } as const;
const BILLING_ACCOUNT_SUMMARY_LIST = { 200: schemaRef(BillingAccountSummaryListSchema) } as const;
const PAYMENT_METHOD_ADDED = { 201: schemaRef(PaymentMethodSchema) } as const;
const PAYMENT_METHOD = { 200: schemaRef(PaymentMethodSchema) } as const;
const PAYMENT_METHOD_LIST = { 200: schemaRef(PaymentMethodListSchema) } as const;

/**
 * `BillingSystemClient` over the platform's `ServiceClientCore`: one call per operation, answers
 * validated against the contract. Resilience (breaker, timeouts, retries of reads and keyed writes)
 * lives in the core, not here.
 */
export class HttpBillingSystemClient extends TypedServiceClient implements BillingSystemClient {
  constructor(options: BillingSystemClientOptions) {
    super(BILLING_SYSTEM_API, { ...options, schemas: billingSystemSchemas });
  }

  async listFeePlans(options: CallOptions): Promise<FeePlan[]> {
    const answer = await this.core.request({ method: 'GET', path: '/v1/fee-plans', responses: FEE_PLAN_LIST, ...options });
    return answer.body.items;
  }

  async getFeePlan(planCode: string, options: CallOptions): Promise<FeePlan> {
    const answer = await this.core.request({ method: 'GET', path: urlPath`/v1/fee-plans/${planCode}`, responses: FEE_PLAN, ...options });
    return answer.body;
  }

  async openBillingAccount(request: OpenBillingAccountRequest, options: IdempotentCallOptions): Promise<BillingAccount> {
    const answer = await this.core.request({
      method: 'POST',
      path: '/v1/billing-accounts',
      body: request,
      responses: BILLING_ACCOUNT_OPENED,
      ...options,
    });
    return answer.body;
  }

  async getBillingAccount(billingAccountId: string, options: CallOptions): Promise<BillingAccount> {
    const answer = await this.core.request({
      method: 'GET',
      path: urlPath`/v1/billing-accounts/${billingAccountId}`,
      responses: BILLING_ACCOUNT,
      ...options,
    });
    return answer.body;
  }

  async listBillingAccountsOfCustomer(customerId: string, options: CallOptions): Promise<BillingAccount[]> {
    const answer = await this.core.request({
      method: 'GET',
      path: '/v1/billing-accounts',
      query: { customerId },
      responses: BILLING_ACCOUNT_LIST,
      ...options,
    });
    return answer.body.items;
  }

  async changeFeePlan(billingAccountId: string, request: ChangeFeePlanRequest, options: CallOptions): Promise<BillingAccount> {
    const answer = await this.core.request({
      method: 'POST',
      path: urlPath`/v1/billing-accounts/${billingAccountId}/plan`,
      body: request,
      responses: BILLING_ACCOUNT,
      ...options,
    });
    return answer.body;
  }

  async closeBillingAccount(billingAccountId: string, options: CallOptions): Promise<BillingAccount> {
    const answer = await this.core.request({
      method: 'POST',
      path: urlPath`/v1/billing-accounts/${billingAccountId}/close`,
      responses: BILLING_ACCOUNT,
      ...options,
    });
    return answer.body;
  }

  async addPaymentMethod(billingAccountId: string, request: AddPaymentMethodRequest, options: IdempotentCallOptions): Promise<PaymentMethod> {
    const answer = await this.core.request({
      method: 'POST',
      path: urlPath`/v1/billing-accounts/${billingAccountId}/payment-methods`,
      body: request,
      responses: PAYMENT_METHOD_ADDED,
      ...options,
    });
    return answer.body;
  }

  async listBillingAccountSummaries(customerId: string, options: CallOptions): Promise<BillingAccountSummary[]> {
    const answer = await this.core.request({
      method: 'GET',
      path: '/v1/billing-account-summaries',
      query: { customerId },
      responses: BILLING_ACCOUNT_SUMMARY_LIST,
      ...options,
    });
    return answer.body.items;
  }

  async listPaymentMethods(billingAccountId: string, options: CallOptions): Promise<PaymentMethod[]> {
    const answer = await this.core.request({
      method: 'GET',
      path: urlPath`/v1/billing-accounts/${billingAccountId}/payment-methods`,
      responses: PAYMENT_METHOD_LIST,
      ...options,
    });
    return answer.body.items;
  }

  async getPaymentMethod(billingAccountId: string, paymentMethodId: string, options: CallOptions): Promise<PaymentMethod> {
    const answer = await this.core.request({
      method: 'GET',
      path: urlPath`/v1/billing-accounts/${billingAccountId}/payment-methods/${paymentMethodId}`,
      responses: PAYMENT_METHOD,
      ...options,
    });
    return answer.body;
  }

  async recordPaymentMethodVerification(
    billingAccountId: string,
    paymentMethodId: string,
    request: RecordVerificationRequest,
    options: CallOptions,
  ): Promise<PaymentMethod> {
    const answer = await this.core.request({
      method: 'POST',
      path: urlPath`/v1/billing-accounts/${billingAccountId}/payment-methods/${paymentMethodId}/verification`,
      body: request,
      responses: PAYMENT_METHOD,
      ...options,
    });
    return answer.body;
  }
}
