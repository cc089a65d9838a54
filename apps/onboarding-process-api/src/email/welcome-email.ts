import type { OnboardingRecord } from '../onboarding/onboarding-repository';

export interface ComposedEmail {
  messageId: string;
  recipient: string;
  subject: string;
  bodyText: string;
}

const PRODUCT_NAMES = { checking: 'checking account', savings: 'savings account' } as const;

function formatUsd(amountMinor: number): string {
  return new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' }).format(amountMinor / 100);
}

/**
 * The welcome message: who they are, their new account (number masked), what happens next.
 * No SSN, no funding account number, no date of birth. The Message-ID is derived from the
 * onboarding id, so every delivery attempt of this message carries the same one.
 */
export function composeWelcomeEmail(onboarding: OnboardingRecord, mail: { messageIdDomain: string }): ComposedEmail {
  const product = PRODUCT_NAMES[onboarding.productType];
  const lines = [
    `Dear ${onboarding.legalName},`,
    '',
    `Welcome to Bartholomew Capital. Your new ${product} is open.`,
    '',
    `  Account number: ${onboarding.accountNumberMasked}`,
    `  Fee plan:       ${onboarding.planCode}`,
    ...(onboarding.openingDeposit ? [`  Opening deposit: ${formatUsd(onboarding.openingDeposit.amountMinor)}`] : []),
    '',
    'What happens next:',
    '  1. Sign in to the Bartholomew Capital app with the email address this message was sent to.',
    '  2. Your debit card (for checking accounts) arrives by mail within 7–10 business days.',
    `  3. Monthly fees of your plan are collected from your verified bank account ending ${onboarding.fundingAccountLast4}.`,
    '',
    'If you did not apply for this account, call us at once on +1 212 555 0100.',
    '',
    'Bartholomew Capital',
    `Reference: ${onboarding.id}`,
  ];
  return {
    messageId: `<onboarding-${onboarding.id}.welcome@${mail.messageIdDomain}>`,
    recipient: onboarding.email,
    subject: `Welcome to Bartholomew Capital, ${onboarding.legalName}`,
    bodyText: `${lines.join('\n')}\n`,
  };
}
