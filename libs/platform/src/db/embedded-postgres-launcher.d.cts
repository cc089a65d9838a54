/** Types of embedded-postgres-launcher.cjs (plain CommonJS so `npm start` can run it without a build; see there). */

export interface LaunchEmbeddedPostgresOptions {
  /** The cluster folder; initdb runs only while `<clusterDir>/PG_VERSION` is absent. */
  clusterDir: string;
  /** Superuser password (scram-sha-256); set by initdb, so it must stay the same for a kept cluster. */
  password: string;
  /** Tried first (e.g. the port of the last run); a free port from the OS otherwise and on retries. */
  preferredPort?: number;
  /** Added to `--encoding=UTF8`. */
  initdbFlags?: string[];
  /** Added to `listen_addresses=127.0.0.1` and no Unix sockets. */
  postgresFlags?: string[];
  /** false: the package deletes the cluster folder on stop. Default true. */
  persistent?: boolean;
  /** Start-up attempts, each on a new free port. Default 3. */
  startAttempts?: number;
  onLog?: (message: string) => void;
  onError?: (error: unknown) => void;
  /** Called just before initdb runs on an empty folder. */
  onInitialise?: () => void;
  /** Called when postgres exited during start-up and another port will be tried. */
  onStartFailed?: (failure: { port: number; attempt: number; output: string }) => void;
}

export interface LaunchedEmbeddedPostgres {
  readonly host: string;
  readonly port: number;
  readonly user: string;
  /** Stops postgres (once; later calls share the first); answers at once when it has already exited. */
  stop(): Promise<void>;
}

export declare class EmbeddedPostgresLaunchFailed extends Error {
  readonly stage: 'initdb' | 'start';
  constructor(stage: 'initdb' | 'start', message: string, options?: ErrorOptions);
}

export declare function launchEmbeddedPostgres(options: LaunchEmbeddedPostgresOptions): Promise<LaunchedEmbeddedPostgres>;

export declare function findFreePort(): Promise<number>;

/** Node's own CommonJS loader (it loads ESM-only packages on Node 24, and Jest does not replace it). */
export declare function requireWithNode(id: string): unknown;
