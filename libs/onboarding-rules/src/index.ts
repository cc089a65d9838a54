/** The onboarding rules that need no vendor, each written once (see README.md for the sources). */
export * from './field-error';
export * from './ssn';
export * from './routing-number';
export * from './calendar-date';
export * from './age-of-majority';
export * from './text';
export * from './product-catalogue';
export * from './application-rules';
