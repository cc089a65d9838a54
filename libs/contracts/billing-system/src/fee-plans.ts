import { Type, type Static } from '@sinclair/typebox';
import { MoneySchema } from '@bartholomew/contracts-shared';
import { ref as schemaRef } from '@bartholomew/contracts-shared';

/** A fee plan's code: lower-case words joined by dashes, e.g. `premium-checking`. */
export const PlanCodeSchema = Type.String({
  pattern: '^[a-z0-9]+(-[a-z0-9]+)*$',
  maxLength: 64,
  examples: ['basic-checking'],
});

/** One plan of the fee catalogue: what a billing account is charged each month. */
export const FeePlanSchema = Type.Object(
  {
    planCode: PlanCodeSchema,
    name: Type.String({ examples: ['Premium Checking'] }),
    description: Type.String(),
    monthlyFee: MoneySchema,
  },
  { $id: 'FeePlan', additionalProperties: false },
);
export type FeePlan = Static<typeof FeePlanSchema>;

export const FeePlanListSchema = Type.Object({ items: Type.Array(schemaRef(FeePlanSchema)) }, { $id: 'FeePlanList', additionalProperties: false });
export type FeePlanList = Static<typeof FeePlanListSchema>;

export const FeePlanParamsSchema = Type.Object({ planCode: PlanCodeSchema });
export type FeePlanParams = Static<typeof FeePlanParamsSchema>;
