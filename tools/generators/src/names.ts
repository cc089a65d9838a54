/**
 * Every name a new service is known by, derived once from `<base>-<layer>-api`: the app, its
 * contract and client packages, TypeScript identifiers, the URL variable callers use, the
 * database. One place, so the files a generator writes agree with each other and with
 * services.json's rules (tools/stack-checks/services.schema.json).
 */
export type Layer = 'system' | 'process' | 'experience';

const KEBAB = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

const pascal = (kebab: string) =>
  kebab
    .split('-')
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
const camel = (kebab: string) => {
  const p = pascal(kebab);
  return p.charAt(0).toLowerCase() + p.slice(1);
};
const constant = (kebab: string) => kebab.replace(/-/g, '_').toUpperCase();

/** English plural of the last word of a kebab-case noun: ledger → ledgers, entry → entries, address → addresses. */
export function pluralOf(kebab: string): string {
  if (/[^aeiou]y$/.test(kebab)) return `${kebab.slice(0, -1)}ies`;
  if (/(s|x|z|ch|sh)$/.test(kebab)) return `${kebab}es`;
  return `${kebab}s`;
}

export interface ServiceNames {
  /** `ledger-system-api`: the app folder, compose service, image and services.json name. */
  name: string;
  /** `ledger` */
  base: string;
  layer: Layer;
  /** `ledger-system`: the contract and client folders under libs/contracts and libs/clients. */
  api: string;
  appPackage: string;
  contractsPackage: string;
  clientsPackage: string;
  /** `LedgerSystem` */
  pascal: string;
  /** `ledgerSystem` */
  camel: string;
  /** `LEDGER_SYSTEM` */
  constant: string;
  /** `LEDGER_SYSTEM_URL`: the variable a caller's config carries this API's base URL in. */
  urlVariable: string;
  /** `Ledger System API` */
  title: string;
  /** `ledger_system_api`: its database and role (tools/stack-checks databaseNameOf). */
  database: string;
}

/** Accepts `ledger` or `ledger-system-api`; refuses anything services.json would refuse. */
export function serviceNames(input: string, layer: Layer): ServiceNames {
  const trimmed = input.trim();
  const suffix = `-${layer}-api`;
  const base = trimmed.endsWith(suffix) ? trimmed.slice(0, -suffix.length) : trimmed;
  if (!KEBAB.test(base) || /-(system|process|experience)-api$/.test(base) || /-(system|process|experience)$/.test(base)) {
    throw new Error(`"${input}" is not a ${layer} API name: use kebab-case, e.g. "ledger" or "ledger${suffix}"`);
  }
  const api = `${base}-${layer}`;
  const name = `${api}-api`;
  return {
    name,
    base,
    layer,
    api,
    appPackage: `@bartholomew/${name}`,
    contractsPackage: `@bartholomew/contracts-${api}`,
    clientsPackage: `@bartholomew/clients-${api}`,
    pascal: pascal(api),
    camel: camel(api),
    constant: constant(api),
    urlVariable: `${constant(api)}_URL`,
    title: `${pascal(base).replace(/([a-z0-9])([A-Z])/g, '$1 $2')} ${pascal(layer)} API`,
    database: name.replace(/-/g, '_'),
  };
}

export interface ResourceNames {
  /** `ledger-entry` */
  kebab: string;
  /** `ledger-entries` (the route segment) */
  plural: string;
  /** `ledgerEntry` */
  camel: string;
  /** `ledgerEntries` */
  camelPlural: string;
  /** `LedgerEntry` */
  pascal: string;
  /** `LedgerEntries` */
  pascalPlural: string;
  /** `LEDGER_ENTRY` */
  constant: string;
  /** `ledger_entries` */
  table: string;
  /** `ledger entry` (for people) */
  words: string;
}

export function resourceNames(kebab: string): ResourceNames {
  if (!KEBAB.test(kebab)) throw new Error(`"${kebab}" is not a resource name: use a kebab-case noun, e.g. "ledger-entry"`);
  const plural = pluralOf(kebab);
  return {
    kebab,
    plural,
    camel: camel(kebab),
    camelPlural: camel(plural),
    pascal: pascal(kebab),
    pascalPlural: pascal(plural),
    constant: constant(kebab),
    table: plural.replace(/-/g, '_'),
    words: kebab.replace(/-/g, ' '),
  };
}
