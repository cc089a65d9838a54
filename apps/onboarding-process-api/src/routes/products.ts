import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyBaseLogger } from 'fastify';
import type { FeePlan } from '@bartholomew/contracts-billing-system';
import { OnboardingCatalogueSchema, ref, type OnboardingCatalogue, type ProductOffering } from '@bartholomew/contracts-onboarding-process';
import { ProblemSchema, commonProblemResponses } from '@bartholomew/contracts-shared';
import { ONBOARDING_PRODUCTS, type OnboardingProduct } from '@bartholomew/onboarding-rules';
import { EndUserHeadersSchema } from './end-user';

const usd = (amountMinor: number) => ({ amountMinor, currency: 'USD' });

/**
 * The onboarding catalogue (libs/onboarding-rules: what an application is checked against) with
 * each plan as billing describes and charges it. A plan billing does not know is left out and
 * logged — it could not be billed, so it must not be offered — and so is a product left with none.
 */
export function productOfferings(feePlans: readonly FeePlan[], log: FastifyBaseLogger): ProductOffering[] {
  const byCode = new Map(feePlans.map((plan) => [plan.planCode, plan]));
  return (Object.keys(ONBOARDING_PRODUCTS) as OnboardingProduct[]).flatMap((productType) => {
    const { plans, openingDeposit } = ONBOARDING_PRODUCTS[productType];
    const offered = plans.flatMap((planCode) => {
      const plan = byCode.get(planCode);
      if (!plan) {
        log.warn({ productType, planCode }, 'plan of the onboarding catalogue unknown to billing: left out of the product list');
        return [];
      }
      return [{ planCode, name: plan.name, description: plan.description, monthlyFee: plan.monthlyFee }];
    });
    if (offered.length === 0) return [];
    return [{ productType, plans: offered, openingDeposit: { min: usd(openingDeposit.minMinor), max: usd(openingDeposit.maxMinor) } }];
  });
}

/** `GET /v1/products`: what an Experience API's application forms may offer, with billing's names and fees. */
export const productRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/v1/products',
    {
      schema: {
        operationId: 'listProducts',
        summary: 'The products an application may ask for, each with its plans (name, description, monthly fee) and opening-deposit bounds',
        description:
          'The onboarding catalogue every application is checked against, joined with the billing System API’s fee plans, which ' +
          'are read from billing at most every few minutes. While billing does not answer, the last fee plans read are served ' +
          'with `stale: true`; with none read yet, 503 DOWNSTREAM_UNAVAILABLE with Retry-After. A plan billing does not know is ' +
          'left out. The same for every end user (`x-end-user-subject` is accepted, not needed).',
        tags: ['products'],
        headers: EndUserHeadersSchema,
        response: { 200: ref(OnboardingCatalogueSchema), ...commonProblemResponses, 503: ProblemSchema },
      },
    },
    async (request): Promise<OnboardingCatalogue> => {
      const { plans, readAt, stale } = await app.feePlans.feePlans(request.id);
      return { products: productOfferings(plans, request.log), feePlansAsOf: readAt.toISOString(), stale };
    },
  );
};
