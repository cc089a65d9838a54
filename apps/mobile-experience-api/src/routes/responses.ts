import { ProblemSchema, commonProblemResponses } from '@bartholomew/contracts-shared';
import { NextStepAnswerSchema, NextStepSchema, NotModifiedSchema } from '@bartholomew/contracts-mobile-experience';
import { ref } from '@bartholomew/contracts-onboarding-process';

/** Problem answers every route of this API can give: bad input, no/bad token, rate limit, Process API down. */
export const problems = { ...commonProblemResponses, 429: ProblemSchema, 503: ProblemSchema } as const;

/** Reads also answer 304 to a matching If-None-Match. */
export const readProblems = { ...problems, 304: NotModifiedSchema } as const;

/**
 * How each version describes the "what next" answer. The JSON is the same: `/v1` published it as one
 * object of optional fields, and turning that into a union is a breaking change for a client
 * generated from `/v1` (its types lose fields), so the union is published as `/v2`; `/v1` stays as
 * it was, deprecated.
 */
export const NEXT_STEP_VERSIONS = {
  v1: {
    answer: ref(NextStepAnswerSchema),
    operationSuffix: '',
    deprecated: true,
    note: ' Deprecated: the `/v2` operation answers the same JSON, described as a union discriminated on `next`.',
  },
  v2: { answer: ref(NextStepSchema), operationSuffix: 'V2', deprecated: undefined, note: '' },
} as const;
export type NextStepVersion = keyof typeof NEXT_STEP_VERSIONS;
