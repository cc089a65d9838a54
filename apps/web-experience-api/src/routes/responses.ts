import { ProblemSchema, commonProblemResponses } from '@bartholomew/contracts-shared';
import { NotModifiedSchema } from '@bartholomew/contracts-web-experience';

/** Problem answers every read of this API can give, and 304 to a matching If-None-Match. */
export const readProblems = { ...commonProblemResponses, 429: ProblemSchema, 503: ProblemSchema, 304: NotModifiedSchema } as const;
