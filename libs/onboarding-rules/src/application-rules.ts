/**
 * Every rule of an onboarding application that needs no vendor, checked at once so the applicant
 * can fix every field in one go. Pointers are into the Process API's application
 * (`/applicant/ssn`, `/fundingAccount/routingNumber`, ...); an Experience API whose form is shaped
 * differently translates them to its own fields.
 */
import { ageOfMajority } from './age-of-majority';
import { ageInYears, compareCalendarDates, parseCalendarDate, type CalendarDate } from './calendar-date';
import { FieldErrorCode, pointerTo, type FieldError } from './field-error';
import { ONBOARDING_PRODUCTS, formatUsd, isOnboardingProduct, productOfPlan } from './product-catalogue';
import { checkRoutingNumber } from './routing-number';
import { checkSsn } from './ssn';
import { isPrintableText } from './text';

/** What the rules read of an application (the Process API's `StartOnboardingRequest`, structurally). */
export interface OnboardingApplication {
  applicant: {
    legalName: string;
    dateOfBirth: string;
    ssn: string;
    address: { line1: string; line2?: string; city: string; state: string };
  };
  product: { productType: string; planCode: string };
  fundingAccount: { routingNumber: string };
  openingDeposit?: { amountMinor: number };
}

/** Nobody alive was born before this: earlier dates are typos (0990 for 1990) or probes (year 0). */
export const EARLIEST_DATE_OF_BIRTH: CalendarDate = { year: 1900, month: 1, day: 1 };

/**
 * The field errors of an application, every broken field at once; empty when every rule passes.
 * `today` is the calendar date in the bank's time zone: `calendarDateIn(now, BANK_TIME_ZONE)`.
 */
export function checkApplication(application: OnboardingApplication, today: CalendarDate): FieldError[] {
  const { applicant, product, fundingAccount, openingDeposit } = application;
  const errors: FieldError[] = [];
  const refuse = (pointer: string, code: FieldErrorCode, detail: string) => errors.push({ pointer, code, detail });

  const textFields: Array<[string, string | undefined]> = [
    ['/applicant/legalName', applicant.legalName],
    ['/applicant/address/line1', applicant.address.line1],
    ['/applicant/address/line2', applicant.address.line2],
    ['/applicant/address/city', applicant.address.city],
  ];
  for (const [pointer, text] of textFields) {
    if (text !== undefined && !isPrintableText(text)) {
      refuse(pointer, FieldErrorCode.TEXT_NOT_PRINTABLE, 'Contains control characters or broken Unicode; type it again');
    }
  }

  const birth = parseCalendarDate(applicant.dateOfBirth);
  if (!birth) refuse('/applicant/dateOfBirth', FieldErrorCode.DATE_OF_BIRTH_INVALID, 'Date of birth is not a calendar date (YYYY-MM-DD)');
  else if (compareCalendarDates(birth, EARLIEST_DATE_OF_BIRTH) < 0) {
    refuse('/applicant/dateOfBirth', FieldErrorCode.DATE_OF_BIRTH_INVALID, 'Date of birth is before 1900');
  } else if (compareCalendarDates(birth, today) > 0) {
    refuse('/applicant/dateOfBirth', FieldErrorCode.DATE_OF_BIRTH_INVALID, 'Date of birth is in the future');
  } else {
    const minimumAge = ageOfMajority(applicant.address.state);
    if (ageInYears(birth, today) < minimumAge) {
      refuse('/applicant/dateOfBirth', FieldErrorCode.UNDERAGE, `Applicants living in ${applicant.address.state} must be ${minimumAge} or older`);
    }
  }

  const ssn = checkSsn(applicant.ssn);
  if (!ssn.valid) refuse('/applicant/ssn', ssn.code, ssn.problem);

  if (!isOnboardingProduct(product.productType)) {
    refuse('/product/productType', FieldErrorCode.UNKNOWN_PRODUCT, 'This product is not offered');
  } else {
    const planProduct = productOfPlan(product.planCode);
    if (planProduct === undefined) refuse('/product/planCode', FieldErrorCode.UNKNOWN_PLAN, 'This fee plan is not offered');
    else if (planProduct !== product.productType) {
      refuse('/product/planCode', FieldErrorCode.PLAN_NOT_FOR_PRODUCT, `This fee plan is for ${planProduct} accounts, not ${product.productType}`);
    }
    const limits = ONBOARDING_PRODUCTS[product.productType].openingDeposit;
    if (openingDeposit && (openingDeposit.amountMinor < limits.minMinor || openingDeposit.amountMinor > limits.maxMinor)) {
      refuse(
        pointerTo('/openingDeposit', 'amountMinor'),
        FieldErrorCode.DEPOSIT_OUT_OF_RANGE,
        `An opening deposit is between ${formatUsd(limits.minMinor)} and ${formatUsd(limits.maxMinor)}`,
      );
    }
  }

  const routing = checkRoutingNumber(fundingAccount.routingNumber);
  if (!routing.valid) refuse('/fundingAccount/routingNumber', routing.code, routing.problem);

  return errors;
}
