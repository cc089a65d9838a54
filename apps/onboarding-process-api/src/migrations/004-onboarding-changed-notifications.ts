import type { Migration } from '@bartholomew/platform/db';

/**
 * Long polls: every change of an onboarding or of one of its steps is announced on the
 * `onboarding_changed` channel with the onboarding's id, delivered when its transaction commits
 * (PostgreSQL sends one notification per id per transaction however many rows changed). Readers
 * waiting for that onboarding answer at once instead of asking again and again
 * (onboarding/onboarding-changes.ts). The payload is the id alone: no applicant data on the channel.
 */
export const onboardingChangedNotifications: Migration = {
  version: 4,
  name: 'onboarding-changed-notifications',
  sql: `
CREATE FUNCTION notify_onboarding_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('onboarding_changed', NEW.onboarding_id::text);
  RETURN NULL;
END
$$;

CREATE TRIGGER onboarding_changed AFTER INSERT OR UPDATE ON onboardings
  FOR EACH ROW EXECUTE FUNCTION notify_onboarding_changed();
CREATE TRIGGER onboarding_step_changed AFTER INSERT OR UPDATE ON onboarding_steps
  FOR EACH ROW EXECUTE FUNCTION notify_onboarding_changed();
`,
};
