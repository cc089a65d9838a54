export * from './onboarding-stack';
export * from './tokens';
