import { SetMetadata } from '@nestjs/common';

export const OWN_AUTHORIZATION = Symbol('forum:own-authorization');

/**
 * Marks a route that reads `Authorization` itself, with a bearer token that is not a session (GET /metrics and its
 * METRICS_TOKEN): the global authentication guard leaves such a route alone instead of refusing the unknown session.
 */
export const OwnAuthorization = () => SetMetadata(OWN_AUTHORIZATION, true);
