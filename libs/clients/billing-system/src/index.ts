/** Typed client of the billing System API, for process-layer services. */
export {
  BILLING_SYSTEM_API,
  HttpBillingSystemClient,
  type BillingSystemClient,
  type BillingSystemClientOptions,
  type CallOptions,
  type IdempotentCallOptions,
} from './billing-system-client';
