/**
 * The service credential's wire format, in one place for both ends: the client core sends it on
 * every call, the server platform checks it (`CallerDirectory`). Neutral ground, so the http-client
 * entry point never loads the server half to learn a header name.
 */

/** The header that carries `<caller-name>.<secret>` on every call between services. */
export const SERVICE_CREDENTIAL_HEADER = 'x-service-credential';

/** Formats the outbound credential header value. */
export function serviceCredential(callerName: string, secret: string): string {
  return `${callerName}.${secret}`;
}

/** The caller name and secret a credential header value carries, or undefined when it is malformed. */
export function parseServiceCredential(credential: string): { callerName: string; secret: string } | undefined {
  const dot = credential.indexOf('.');
  if (dot <= 0) return undefined;
  return { callerName: credential.slice(0, dot), secret: credential.slice(dot + 1) };
}
