export {
  ACCOUNT_SYSTEM_API,
  HttpAccountSystemClient,
  type AccountSystemClient,
  type AccountSystemClientOptions,
  type CallOptions,
  type IdempotentCallOptions,
} from './account-system-client';
