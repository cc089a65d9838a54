import { ProblemSchema, commonProblemResponses } from '@bartholomew/contracts-shared';
import { NotModifiedSchema } from '@bartholomew/contracts-mobile-experience';

/** Problem answers every route of this API can give: bad input, no/bad token, rate limit, Process API down. */
export const problems = { ...commonProblemResponses, 429: ProblemSchema, 503: ProblemSchema } as const;

/** Reads also answer 304 to a matching If-None-Match. */
export const readProblems = { ...problems, 304: NotModifiedSchema } as const;
