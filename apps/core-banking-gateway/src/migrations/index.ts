import type { Migration } from '@bartholomew/platform/db';
import { coreFiles } from './001-core-files';

/** Applied in order at start; add a new module for every change, never edit an applied one. */
export const migrations: Migration[] = [coreFiles];
