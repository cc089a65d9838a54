import type { Migration } from '@bartholomew/platform/db';
import { coreBankingLedger } from './001-core-banking-ledger';
import { transactionsByPostingTime } from './002-transactions-by-posting-time';
import { mainframeIdempotencyKeys } from './003-mainframe-idempotency-keys';

/** Applied in order at start; add a new module for every change, never edit an applied one. */
export const migrations: Migration[] = [coreBankingLedger, transactionsByPostingTime, mainframeIdempotencyKeys];
