/**
 * The wiring services.json implies, in one place for every stack that runs the services as
 * processes (the e2e stack, the fault suite, the bench): which callers each service accepts and
 * with which secrets, the secret it presents downstream, the URL variable of each API it calls,
 * the host and port variables of each backend it calls, its database, the end-user token settings at the edge — and the order to start and stop them.
 *
 *   const wiring = stackWiring(loadServiceManifest());
 *   for (const layer of wiring.layers) ... wiring.environmentOf(service, { urlOf, databaseUrl, endUsers })
 *
 * What only a stack knows it supplies: where a service answers (its own URL, or a fault proxy in
 * front of it; a backend's protocol address), the database it made, the token issuer, and callers beyond the declared ones (an
 * operator tool, or a caller it means to see refused). Ports, DATA_DIR, keys and tuning stay the stack's;
 * a backend's protocol port is set under the variable services.json names, to 0 (the OS picks) unless supplied.
 */
import { randomBytes } from 'node:crypto';
import { acceptsEndUsers, apiCallsOf, isBackend, isBackendCall, LAYERS, type Layer, type ServiceDefinition, type ServiceManifest } from './manifest';

/** A caller as a service's ACCEPTED_CALLERS lists it (`name:layer:secret`). */
export interface CallerCredential {
  name: string;
  layer: Layer | 'operator';
  secret: string;
}

/** What a stack supplies for one service that services.json cannot know. */
export interface ServiceSupplies {
  /** The base URL a caller is to use for a declared service (its own, or a proxy's in front of it). */
  urlOf(service: string): string;
  /** Where a declared backend's protocol answers; required for a service that calls a backend. */
  protocolAddressOf?(backend: string): ProtocolAddress;
  /** The service's own database; required exactly when services.json says it owns one. */
  databaseUrl?: string;
  /** The token issuer the edge trusts; required for a service that accepts end users. */
  endUsers?: { issuer: string; publicKeys: string };
  /** Accepted besides the services that declare a call to it (e.g. an operator tool); not for a backend, which takes no credentials. */
  extraCallers?: readonly CallerCredential[];
  /** A backend's protocol port (set under its protocolPort.variable); 0, the OS picks, unless given. */
  protocolPort?: number;
}

/** Host and port of a backend's protocol listener (not HTTP). */
export interface ProtocolAddress {
  host: string;
  port: number;
}

export interface StackWiring {
  /** The declared services, by layer from the bottom (empty layers left out): start in this order, stop in reverse. */
  layers: ServiceDefinition[][];
  /** The secret a declared service presents downstream (SERVICE_CREDENTIAL_SECRET). */
  secretOf(service: string): string;
  /** The `x-service-credential` value a declared service sends: `<name>.<secret>`. */
  credentialOf(service: string): string;
  /** The environment services.json implies for one declared service, with what the stack supplied. */
  environmentOf(service: ServiceDefinition, supplies: ServiceSupplies): Record<string, string>;
}

const newSecret = () => randomBytes(18).toString('base64url');

/** The declared services that call `service`: the callers it accepts by services.json. */
export function declaredCallers(manifest: ServiceManifest, service: ServiceDefinition): ServiceDefinition[] {
  return manifest.services.filter((caller) => caller.calls.some((call) => call.service === service.name));
}

/**
 * The manifest without its backends, and without the calls to them: for a stack that runs the API
 * layers alone (the fault suite, the bench), each System API on its own default core (no gateway).
 */
export function withoutBackends(manifest: ServiceManifest): ServiceManifest {
  const backends = new Set(manifest.services.filter(isBackend).map((service) => service.name));
  return {
    ...manifest,
    services: manifest.services
      .filter((service) => !backends.has(service.name))
      .map((service) => ({ ...service, calls: service.calls.filter((call) => !backends.has(call.service)) })),
  };
}

/**
 * The wiring of one run of the stack: a fresh secret for every declared service (or `secret(name)`'s,
 * for tests that need them fixed), and each service's environment from services.json.
 */
export function stackWiring(manifest: ServiceManifest, secret: (service: string) => string = newSecret): StackWiring {
  const secrets = new Map(manifest.services.map((service) => [service.name, secret(service.name)]));
  const secretOf = (name: string) => {
    const found = secrets.get(name);
    if (found === undefined) throw new Error(`${name} is not declared in services.json`);
    return found;
  };

  const acceptedCallers = (service: ServiceDefinition, extra: readonly CallerCredential[]) => {
    const callers: CallerCredential[] = [
      ...declaredCallers(manifest, service).map((caller) => ({ name: caller.name, layer: caller.layer, secret: secretOf(caller.name) })),
      ...extra,
    ];
    const names = callers.map((caller) => caller.name);
    const twice = names.find((name, index) => names.indexOf(name) !== index);
    // The service keeps one secret per name: a second entry would silently replace the first.
    if (twice) throw new Error(`${service.name}: ${twice} is listed twice among its accepted callers`);
    return callers.map((caller) => `${caller.name}:${caller.layer}:${caller.secret}`).join(',');
  };

  return {
    layers: LAYERS.map((layer) => manifest.services.filter((service) => service.layer === layer)).filter((layer) => layer.length > 0),
    secretOf,
    credentialOf: (name) => `${name}.${secretOf(name)}`,
    environmentOf(service, supplies) {
      const env: Record<string, string> = manifest.nodeOptions ? { NODE_OPTIONS: manifest.nodeOptions } : {};
      if (isBackend(service)) {
        // Not an API: it has no ACCEPTED_CALLERS; its clients speak its own protocol on its protocol port.
        if ((supplies.extraCallers ?? []).length > 0) throw new Error(`${service.name} is a backend: it takes no service credentials`);
        if (service.protocolPort) env[service.protocolPort.variable] = String(supplies.protocolPort ?? 0);
      } else {
        env.ACCEPTED_CALLERS = acceptedCallers(service, supplies.extraCallers ?? []);
      }
      if (service.database && supplies.databaseUrl === undefined)
        throw new Error(`${service.name}: services.json says it owns a database, but none was supplied`);
      if (!service.database && supplies.databaseUrl !== undefined)
        throw new Error(`${service.name}: services.json says it owns no database, but one was supplied`);
      if (supplies.databaseUrl !== undefined) env.DATABASE_URL = supplies.databaseUrl;
      // Presented to the APIs it calls; a backend's clients sign on in its own protocol instead.
      if (apiCallsOf(service).length > 0) env.SERVICE_CREDENTIAL_SECRET = secretOf(service.name);
      for (const call of service.calls) {
        if (!isBackendCall(call)) {
          env[call.urlVariable] = supplies.urlOf(call.service);
          continue;
        }
        const address = supplies.protocolAddressOf?.(call.service);
        if (!address) throw new Error(`${service.name} calls ${call.service}: supply where its protocol answers`);
        env[call.hostVariable] = address.host;
        env[call.portVariable] = String(address.port);
      }
      if (acceptsEndUsers(service)) {
        if (!supplies.endUsers) throw new Error(`${service.name} accepts end users: supply the token issuer it is to trust`);
        Object.assign(env, { JWT_ISSUER: supplies.endUsers.issuer, JWT_AUDIENCE: service.name, JWT_PUBLIC_KEYS: supplies.endUsers.publicKeys });
      }
      return env;
    },
  };
}
