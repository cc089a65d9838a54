-- First start of the compose PostgreSQL (docker-entrypoint-initdb.d, as the superuser): one login
-- role and one database per service that services.json declares with "database": true (checked by
-- tools/stack-checks), the backend core-banking-gateway included. Each owns its database
-- (migrations run at service start) and can connect to no other: no service reads another's
-- tables. The Experience APIs keep no data.
--
-- DEVELOPMENT PASSWORDS ONLY, repeated in the DATABASE_URLs of docker-compose.yml. Anywhere else
-- the roles come from your secret store. Runs once per volume: `docker compose down -v` to redo.

REVOKE CONNECT ON DATABASE postgres FROM PUBLIC;

CREATE ROLE core_banking_gateway LOGIN PASSWORD 'dev-only-core-banking-gateway-db-password';
CREATE DATABASE core_banking_gateway OWNER core_banking_gateway;
REVOKE ALL ON DATABASE core_banking_gateway FROM PUBLIC;

CREATE ROLE account_system_api LOGIN PASSWORD 'dev-only-account-system-db-password';
CREATE DATABASE account_system_api OWNER account_system_api;
REVOKE ALL ON DATABASE account_system_api FROM PUBLIC;

CREATE ROLE billing_system_api LOGIN PASSWORD 'dev-only-billing-system-db-password';
CREATE DATABASE billing_system_api OWNER billing_system_api;
REVOKE ALL ON DATABASE billing_system_api FROM PUBLIC;

CREATE ROLE onboarding_process_api LOGIN PASSWORD 'dev-only-onboarding-process-db-password';
CREATE DATABASE onboarding_process_api OWNER onboarding_process_api;
REVOKE ALL ON DATABASE onboarding_process_api FROM PUBLIC;
