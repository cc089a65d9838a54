/** What a service says about itself in OpenAPI, logs and metrics. */
export interface ServiceDescription {
  /** Machine name, e.g. `account-system-api`. */
  name: string;
  title: string;
  version: string;
  description: string;
  tags?: Array<{ name: string; description: string }>;
}
