import { Type, type Static } from '@sinclair/typebox';
import { IdSchema, ref } from '@bartholomew/contracts-shared';

/** A US postal address. */
export const AddressSchema = Type.Object(
  {
    line1: Type.String({ minLength: 1, maxLength: 100 }),
    line2: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    city: Type.String({ minLength: 1, maxLength: 60 }),
    state: Type.String({ pattern: '^[A-Z]{2}$', description: 'USPS two-letter state code', examples: ['NY'] }),
    postalCode: Type.String({ pattern: '^[0-9]{5}(-[0-9]{4})?$', description: 'ZIP or ZIP+4', examples: ['10001'] }),
  },
  { additionalProperties: false },
);
export type Address = Static<typeof AddressSchema>;

/**
 * A US Social Security number, dashed or as nine digits. Only its shape is checked here:
 * validity rules (area 000/666/9xx, …) belong to KYC in the Process API, not to the core banking
 * System API. Write-only: answers carry `taxIdLast4`, never the number.
 */
export const TaxIdSchema = Type.String({
  pattern: '^(?:[0-9]{3}-[0-9]{2}-[0-9]{4}|[0-9]{9})$',
  description: 'SSN as ddd-dd-dddd or nine digits',
  writeOnly: true,
});

export const CreateCustomerRequestSchema = Type.Object(
  {
    legalName: Type.String({ minLength: 1, maxLength: 200, pattern: '\\S' }),
    dateOfBirth: Type.String({ format: 'date', examples: ['1990-04-01'] }),
    taxId: TaxIdSchema,
    email: Type.String({ format: 'email', maxLength: 254 }),
    phone: Type.String({ pattern: '^\\+[1-9][0-9]{7,14}$', description: 'E.164, e.g. +12125550123' }),
    address: AddressSchema,
  },
  { $id: 'CreateCustomerRequest', title: 'CreateCustomerRequest', additionalProperties: false },
);
export type CreateCustomerRequest = Static<typeof CreateCustomerRequestSchema>;

/** A customer of the bank as core banking knows them; the SSN shows as its last four digits. */
export const CustomerSchema = Type.Object(
  {
    customerId: IdSchema,
    legalName: Type.String(),
    dateOfBirth: Type.String({ format: 'date' }),
    taxIdLast4: Type.String({ pattern: '^[0-9]{4}$' }),
    email: Type.String(),
    phone: Type.String(),
    address: AddressSchema,
    createdAt: Type.String({ format: 'date-time' }),
  },
  { $id: 'Customer', title: 'Customer', additionalProperties: false },
);
export type Customer = Static<typeof CustomerSchema>;

/**
 * `POST /v1/customers/search`: find the customer holding an SSN. The SSN travels in the body —
 * never in a URL, where proxies and access logs would keep it.
 */
export const CustomerSearchRequestSchema = Type.Object(
  { taxId: TaxIdSchema },
  { $id: 'CustomerSearchRequest', title: 'CustomerSearchRequest', additionalProperties: false },
);
export type CustomerSearchRequest = Static<typeof CustomerSearchRequestSchema>;

/** The customers a search found: one per SSN at most, so `items` holds none or one. */
export const CustomerSearchResultSchema = Type.Object(
  { items: Type.Array(ref(CustomerSchema), { maxItems: 1 }) },
  { $id: 'CustomerSearchResult', title: 'CustomerSearchResult', additionalProperties: false },
);
export type CustomerSearchResult = Static<typeof CustomerSearchResultSchema>;

export const CustomerParamsSchema = Type.Object({ customerId: IdSchema }, { additionalProperties: false });
export type CustomerParams = Static<typeof CustomerParamsSchema>;
