import type { Migration } from '@bartholomew/platform';
import { coreBankingLedger } from './001-core-banking-ledger';

/** Applied in order at start; add a new module for every change, never edit an applied one. */
export const migrations: Migration[] = [coreBankingLedger];
