import Ajv from 'ajv';
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { ResponseValidator } from './response-validation';

const MoneySchema = Type.Object(
  {
    amountMinor: Type.Integer(),
    currency: Type.String({ pattern: '^[A-Z]{3}$' }),
  },
  { $id: 'Money', additionalProperties: false },
);
const BalanceSchema = Type.Object(
  {
    accountId: Type.String({ format: 'uuid' }),
    balance: Type.Unsafe<Static<typeof MoneySchema>>(Type.Ref('Money')),
  },
  { additionalProperties: false },
);

describe('ResponseValidator', () => {
  afterEach(() => jest.restoreAllMocks());

  it('resolves shared schemas referenced with Type.Ref', () => {
    const validator = new ResponseValidator([MoneySchema]);
    const accountId = '3f2b8c1e-4d5a-4b6c-8d7e-9f0a1b2c3d4e';
    expect(
      validator.issues(BalanceSchema, {
        accountId,
        balance: { amountMinor: 1250, currency: 'USD' },
      }),
    ).toEqual([]);
    expect(
      validator.issues(BalanceSchema, {
        accountId,
        balance: { amountMinor: '12.50', currency: 'USD' },
      }),
    ).toEqual([{ path: '/balance/amountMinor', message: 'must be integer' }]);
  });

  it('checks formats and does not coerce', () => {
    const validator = new ResponseValidator([MoneySchema]);
    const issues = validator.issues(BalanceSchema, {
      accountId: 'not-a-uuid',
      balance: { amountMinor: 1, currency: 'USD' },
    });
    expect(issues).toEqual([{ path: '/accountId', message: 'must match format "uuid"' }]);
    expect(new ResponseValidator().issues(Type.Integer(), '42')).toHaveLength(1);
  });

  it('compiles each schema object once', () => {
    const compile = jest.spyOn(Ajv.prototype, 'compile');
    const validator = new ResponseValidator();
    const schema: TSchema = Type.Object({ id: Type.String() });
    validator.issues(schema, { id: 'a' });
    validator.issues(schema, { id: 'b' });
    expect(compile).toHaveBeenCalledTimes(1);
    validator.issues(Type.Object({ id: Type.String() }), { id: 'c' });
    expect(compile).toHaveBeenCalledTimes(2);
  });

  it('accepts two contracts that embed the same shared schema', () => {
    const validator = new ResponseValidator();
    const first = Type.Object({ price: MoneySchema });
    const second = Type.Array(MoneySchema);
    expect(validator.issues(first, { price: { amountMinor: 1, currency: 'EUR' } })).toEqual([]);
    expect(validator.issues(second, [{ amountMinor: 1, currency: 'EUR' }])).toEqual([]);
    expect(validator.issues(MoneySchema, { amountMinor: 1, currency: 'EUR' })).toEqual([]);
  });
});
