/**
 * Where the contract files live and what they are called: the committed OpenAPI documents
 * (contracts/openapi/<service>.json) and the command that rewrites them.
 */
import { resolve } from 'node:path';

export const SERVICES = [
  'account-system-api',
  'billing-system-api',
  'onboarding-process-api',
  'mobile-experience-api',
  'web-experience-api',
] as const;
export type ServiceName = (typeof SERVICES)[number];

/** The layer a service's document is published to: System and Process APIs are internal, Experience APIs public. */
export const LAYER_OF: Record<ServiceName, 'system' | 'process' | 'experience'> = {
  'account-system-api': 'system',
  'billing-system-api': 'system',
  'onboarding-process-api': 'process',
  'mobile-experience-api': 'experience',
  'web-experience-api': 'experience',
};

// Three levels up both from these sources (tools/contracts/src) and from the generator's bundle (dist/tools/contracts).
export const WORKSPACE_ROOT = resolve(__dirname, '../../..');
/** Where the committed document of a service lives, relative to the workspace root (as git names it). */
export const documentPath = (service: ServiceName) => `contracts/openapi/${service}.json`;
/** The command that rewrites the committed documents (and the generated client types). */
export const REGENERATE_COMMAND = 'npm run openapi';

export type OpenApiDocument = Record<string, unknown>;

/** The generated types of the mobile Experience API client, relative to the workspace root. */
export const MOBILE_CLIENT_TYPES = 'tools/contracts/src/generated/mobile-experience-api.ts';
