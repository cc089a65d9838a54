import createError from '@fastify/error';
import { BillingProblemCode } from '@bartholomew/contracts-billing-system';

/**
 * The billing System API's refusals, each with the stable code of the contract. The platform error
 * handler turns them into problem+json. Messages name ids and plan codes only — never bank details.
 */

export const FeePlanNotFound = createError(BillingProblemCode.FEE_PLAN_NOT_FOUND, 'Fee plan %s was not found', 404);

/** A write names a plan the catalogue does not have: the request is well-formed but unprocessable. */
export const UnknownFeePlan = createError(BillingProblemCode.UNKNOWN_FEE_PLAN, 'Fee plan %s is not in the catalogue', 422);

export const BillingAccountNotFound = createError(BillingProblemCode.BILLING_ACCOUNT_NOT_FOUND, 'Billing account %s was not found', 404);

/** A deposit account is billed by one open billing account at a time. */
export const BillingAccountAlreadyExists = createError(
  BillingProblemCode.BILLING_ACCOUNT_ALREADY_EXISTS,
  'Deposit account %s already has an open billing account',
  409,
);

/** Closing is final: a closed billing account takes no new plan, payment method or verification. */
export const BillingAccountClosed = createError(BillingProblemCode.BILLING_ACCOUNT_CLOSED, 'Billing account %s is closed', 409);

export const PaymentMethodNotFound = createError(BillingProblemCode.PAYMENT_METHOD_NOT_FOUND, 'Payment method %s was not found', 404);

export const PaymentMethodAlreadyExists = createError(
  BillingProblemCode.PAYMENT_METHOD_ALREADY_EXISTS,
  'This bank account is already a payment method of billing account %s',
  409,
);

export const InvalidRoutingNumber = createError(BillingProblemCode.INVALID_ROUTING_NUMBER, 'The routing number fails the ABA checksum', 422);

/** `verified` and `failed` are final outcomes; a second outcome is refused, not overwritten. */
export const VerificationAlreadyRecorded = createError(BillingProblemCode.VERIFICATION_ALREADY_RECORDED, 'Payment method %s is already %s', 409);
