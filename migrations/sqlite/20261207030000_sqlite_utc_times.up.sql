-- Rewrite every stored time in UTC ("…+00:00"), the one offset the application binds since it opens SQLite
-- with _timezone=UTC (ent/database). SQLite compares these text values as text: with rows in the writer's
-- offset ("2026-11-23 08:00:00+08:00") and parameters in UTC, range predicates (in_at >= ?, a day's window)
-- would miss or take rows near their bounds. Hand-written (data only, no schema change, SQLite only): the value
-- keeps its date and time up to the second shifted by datetime() to UTC, its fraction of a second as written
-- (datetime() keeps no nanoseconds), and "+00:00". Values already in UTC, NULLs and anything not in the
-- driver's "2006-01-02 15:04:05.999999999-07:00" layout are left alone.
UPDATE `alerts` SET `opened_at` = datetime(substr(`opened_at`, 1, 19) || substr(`opened_at`, -6)) || substr(`opened_at`, 20, length(`opened_at`) - 25) || '+00:00'
  WHERE `opened_at` GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9] [0-9][0-9]:[0-9][0-9]:[0-9][0-9]*[+-][0-9][0-9]:[0-9][0-9]'
    AND (length(`opened_at`) = 25 OR (substr(`opened_at`, 20, 1) = '.' AND length(`opened_at`) BETWEEN 27 AND 35)) AND substr(`opened_at`, -6) <> '+00:00'
    AND datetime(substr(`opened_at`, 1, 19) || substr(`opened_at`, -6)) IS NOT NULL;
UPDATE `alerts` SET `report_by` = datetime(substr(`report_by`, 1, 19) || substr(`report_by`, -6)) || substr(`report_by`, 20, length(`report_by`) - 25) || '+00:00'
  WHERE `report_by` GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9] [0-9][0-9]:[0-9][0-9]:[0-9][0-9]*[+-][0-9][0-9]:[0-9][0-9]'
    AND (length(`report_by`) = 25 OR (substr(`report_by`, 20, 1) = '.' AND length(`report_by`) BETWEEN 27 AND 35)) AND substr(`report_by`, -6) <> '+00:00'
    AND datetime(substr(`report_by`, 1, 19) || substr(`report_by`, -6)) IS NOT NULL;
UPDATE `alerts` SET `cdc_contacted_at` = datetime(substr(`cdc_contacted_at`, 1, 19) || substr(`cdc_contacted_at`, -6)) || substr(`cdc_contacted_at`, 20, length(`cdc_contacted_at`) - 25) || '+00:00'
  WHERE `cdc_contacted_at` GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9] [0-9][0-9]:[0-9][0-9]:[0-9][0-9]*[+-][0-9][0-9]:[0-9][0-9]'
    AND (length(`cdc_contacted_at`) = 25 OR (substr(`cdc_contacted_at`, 20, 1) = '.' AND length(`cdc_contacted_at`) BETWEEN 27 AND 35)) AND substr(`cdc_contacted_at`, -6) <> '+00:00'
    AND datetime(substr(`cdc_contacted_at`, 1, 19) || substr(`cdc_contacted_at`, -6)) IS NOT NULL;
UPDATE `alerts` SET `acknowledged_at` = datetime(substr(`acknowledged_at`, 1, 19) || substr(`acknowledged_at`, -6)) || substr(`acknowledged_at`, 20, length(`acknowledged_at`) - 25) || '+00:00'
  WHERE `acknowledged_at` GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9] [0-9][0-9]:[0-9][0-9]:[0-9][0-9]*[+-][0-9][0-9]:[0-9][0-9]'
    AND (length(`acknowledged_at`) = 25 OR (substr(`acknowledged_at`, 20, 1) = '.' AND length(`acknowledged_at`) BETWEEN 27 AND 35)) AND substr(`acknowledged_at`, -6) <> '+00:00'
    AND datetime(substr(`acknowledged_at`, 1, 19) || substr(`acknowledged_at`, -6)) IS NOT NULL;
UPDATE `alerts` SET `closed_at` = datetime(substr(`closed_at`, 1, 19) || substr(`closed_at`, -6)) || substr(`closed_at`, 20, length(`closed_at`) - 25) || '+00:00'
  WHERE `closed_at` GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9] [0-9][0-9]:[0-9][0-9]:[0-9][0-9]*[+-][0-9][0-9]:[0-9][0-9]'
    AND (length(`closed_at`) = 25 OR (substr(`closed_at`, 20, 1) = '.' AND length(`closed_at`) BETWEEN 27 AND 35)) AND substr(`closed_at`, -6) <> '+00:00'
    AND datetime(substr(`closed_at`, 1, 19) || substr(`closed_at`, -6)) IS NOT NULL;
UPDATE `alerts` SET `upward_decided_at` = datetime(substr(`upward_decided_at`, 1, 19) || substr(`upward_decided_at`, -6)) || substr(`upward_decided_at`, 20, length(`upward_decided_at`) - 25) || '+00:00'
  WHERE `upward_decided_at` GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9] [0-9][0-9]:[0-9][0-9]:[0-9][0-9]*[+-][0-9][0-9]:[0-9][0-9]'
    AND (length(`upward_decided_at`) = 25 OR (substr(`upward_decided_at`, 20, 1) = '.' AND length(`upward_decided_at`) BETWEEN 27 AND 35)) AND substr(`upward_decided_at`, -6) <> '+00:00'
    AND datetime(substr(`upward_decided_at`, 1, 19) || substr(`upward_decided_at`, -6)) IS NOT NULL;
UPDATE `api_tokens` SET `created_at` = datetime(substr(`created_at`, 1, 19) || substr(`created_at`, -6)) || substr(`created_at`, 20, length(`created_at`) - 25) || '+00:00'
  WHERE `created_at` GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9] [0-9][0-9]:[0-9][0-9]:[0-9][0-9]*[+-][0-9][0-9]:[0-9][0-9]'
    AND (length(`created_at`) = 25 OR (substr(`created_at`, 20, 1) = '.' AND length(`created_at`) BETWEEN 27 AND 35)) AND substr(`created_at`, -6) <> '+00:00'
    AND datetime(substr(`created_at`, 1, 19) || substr(`created_at`, -6)) IS NOT NULL;
UPDATE `api_tokens` SET `expires_at` = datetime(substr(`expires_at`, 1, 19) || substr(`expires_at`, -6)) || substr(`expires_at`, 20, length(`expires_at`) - 25) || '+00:00'
  WHERE `expires_at` GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9] [0-9][0-9]:[0-9][0-9]:[0-9][0-9]*[+-][0-9][0-9]:[0-9][0-9]'
    AND (length(`expires_at`) = 25 OR (substr(`expires_at`, 20, 1) = '.' AND length(`expires_at`) BETWEEN 27 AND 35)) AND substr(`expires_at`, -6) <> '+00:00'
    AND datetime(substr(`expires_at`, 1, 19) || substr(`expires_at`, -6)) IS NOT NULL;
UPDATE `api_tokens` SET `revoked_at` = datetime(substr(`revoked_at`, 1, 19) || substr(`revoked_at`, -6)) || substr(`revoked_at`, 20, length(`revoked_at`) - 25) || '+00:00'
  WHERE `revoked_at` GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9] [0-9][0-9]:[0-9][0-9]:[0-9][0-9]*[+-][0-9][0-9]:[0-9][0-9]'
    AND (length(`revoked_at`) = 25 OR (substr(`revoked_at`, 20, 1) = '.' AND length(`revoked_at`) BETWEEN 27 AND 35)) AND substr(`revoked_at`, -6) <> '+00:00'
    AND datetime(substr(`revoked_at`, 1, 19) || substr(`revoked_at`, -6)) IS NOT NULL;
UPDATE `api_tokens` SET `last_used_at` = datetime(substr(`last_used_at`, 1, 19) || substr(`last_used_at`, -6)) || substr(`last_used_at`, 20, length(`last_used_at`) - 25) || '+00:00'
  WHERE `last_used_at` GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9] [0-9][0-9]:[0-9][0-9]:[0-9][0-9]*[+-][0-9][0-9]:[0-9][0-9]'
    AND (length(`last_used_at`) = 25 OR (substr(`last_used_at`, 20, 1) = '.' AND length(`last_used_at`) BETWEEN 27 AND 35)) AND substr(`last_used_at`, -6) <> '+00:00'
    AND datetime(substr(`last_used_at`, 1, 19) || substr(`last_used_at`, -6)) IS NOT NULL;
UPDATE `assignments` SET `valid_from` = datetime(substr(`valid_from`, 1, 19) || substr(`valid_from`, -6)) || substr(`valid_from`, 20, length(`valid_from`) - 25) || '+00:00'
  WHERE `valid_from` GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9] [0-9][0-9]:[0-9][0-9]:[0-9][0-9]*[+-][0-9][0-9]:[0-9][0-9]'
    AND (length(`valid_from`) = 25 OR (substr(`valid_from`, 20, 1) = '.' AND length(`valid_from`) BETWEEN 27 AND 35)) AND substr(`valid_from`, -6) <> '+00:00'
    AND datetime(substr(`valid_from`, 1, 19) || substr(`valid_from`, -6)) IS NOT NULL;
UPDATE `assignments` SET `valid_to` = datetime(substr(`valid_to`, 1, 19) || substr(`valid_to`, -6)) || substr(`valid_to`, 20, length(`valid_to`) - 25) || '+00:00'
  WHERE `valid_to` GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9] [0-9][0-9]:[0-9][0-9]:[0-9][0-9]*[+-][0-9][0-9]:[0-9][0-9]'
    AND (length(`valid_to`) = 25 OR (substr(`valid_to`, 20, 1) = '.' AND length(`valid_to`) BETWEEN 27 AND 35)) AND substr(`valid_to`, -6) <> '+00:00'
    AND datetime(substr(`valid_to`, 1, 19) || substr(`valid_to`, -6)) IS NOT NULL;
UPDATE `assignments` SET `created_at` = datetime(substr(`created_at`, 1, 19) || substr(`created_at`, -6)) || substr(`created_at`, 20, length(`created_at`) - 25) || '+00:00'
  WHERE `created_at` GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9] [0-9][0-9]:[0-9][0-9]:[0-9][0-9]*[+-][0-9][0-9]:[0-9][0-9]'
    AND (length(`created_at`) = 25 OR (substr(`created_at`, 20, 1) = '.' AND length(`created_at`) BETWEEN 27 AND 35)) AND substr(`created_at`, -6) <> '+00:00'
    AND datetime(substr(`created_at`, 1, 19) || substr(`created_at`, -6)) IS NOT NULL;
UPDATE `audit_logs` SET `created_at` = datetime(substr(`created_at`, 1, 19) || substr(`created_at`, -6)) || substr(`created_at`, 20, length(`created_at`) - 25) || '+00:00'
  WHERE `created_at` GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9] [0-9][0-9]:[0-9][0-9]:[0-9][0-9]*[+-][0-9][0-9]:[0-9][0-9]'
    AND (length(`created_at`) = 25 OR (substr(`created_at`, 20, 1) = '.' AND length(`created_at`) BETWEEN 27 AND 35)) AND substr(`created_at`, -6) <> '+00:00'
    AND datetime(substr(`created_at`, 1, 19) || substr(`created_at`, -6)) IS NOT NULL;
UPDATE `chase_logs` SET `due_at` = datetime(substr(`due_at`, 1, 19) || substr(`due_at`, -6)) || substr(`due_at`, 20, length(`due_at`) - 25) || '+00:00'
  WHERE `due_at` GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9] [0-9][0-9]:[0-9][0-9]:[0-9][0-9]*[+-][0-9][0-9]:[0-9][0-9]'
    AND (length(`due_at`) = 25 OR (substr(`due_at`, 20, 1) = '.' AND length(`due_at`) BETWEEN 27 AND 35)) AND substr(`due_at`, -6) <> '+00:00'
    AND datetime(substr(`due_at`, 1, 19) || substr(`due_at`, -6)) IS NOT NULL;
UPDATE `chase_logs` SET `fired_at` = datetime(substr(`fired_at`, 1, 19) || substr(`fired_at`, -6)) || substr(`fired_at`, 20, length(`fired_at`) - 25) || '+00:00'
  WHERE `fired_at` GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9] [0-9][0-9]:[0-9][0-9]:[0-9][0-9]*[+-][0-9][0-9]:[0-9][0-9]'
    AND (length(`fired_at`) = 25 OR (substr(`fired_at`, 20, 1) = '.' AND length(`fired_at`) BETWEEN 27 AND 35)) AND substr(`fired_at`, -6) <> '+00:00'
    AND datetime(substr(`fired_at`, 1, 19) || substr(`fired_at`, -6)) IS NOT NULL;
UPDATE `check_settings` SET `updated_at` = datetime(substr(`updated_at`, 1, 19) || substr(`updated_at`, -6)) || substr(`updated_at`, 20, length(`updated_at`) - 25) || '+00:00'
  WHERE `updated_at` GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9] [0-9][0-9]:[0-9][0-9]:[0-9][0-9]*[+-][0-9][0-9]:[0-9][0-9]'
    AND (length(`updated_at`) = 25 OR (substr(`updated_at`, 20, 1) = '.' AND length(`updated_at`) BETWEEN 27 AND 35)) AND substr(`updated_at`, -6) <> '+00:00'
    AND datetime(substr(`updated_at`, 1, 19) || substr(`updated_at`, -6)) IS NOT NULL;
UPDATE `class_checks` SET `submitted_at` = datetime(substr(`submitted_at`, 1, 19) || substr(`submitted_at`, -6)) || substr(`submitted_at`, 20, length(`submitted_at`) - 25) || '+00:00'
  WHERE `submitted_at` GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9] [0-9][0-9]:[0-9][0-9]:[0-9][0-9]*[+-][0-9][0-9]:[0-9][0-9]'
    AND (length(`submitted_at`) = 25 OR (substr(`submitted_at`, 20, 1) = '.' AND length(`submitted_at`) BETWEEN 27 AND 35)) AND substr(`submitted_at`, -6) <> '+00:00'
    AND datetime(substr(`submitted_at`, 1, 19) || substr(`submitted_at`, -6)) IS NOT NULL;
UPDATE `classes` SET `opened_on` = datetime(substr(`opened_on`, 1, 19) || substr(`opened_on`, -6)) || substr(`opened_on`, 20, length(`opened_on`) - 25) || '+00:00'
  WHERE `opened_on` GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9] [0-9][0-9]:[0-9][0-9]:[0-9][0-9]*[+-][0-9][0-9]:[0-9][0-9]'
    AND (length(`opened_on`) = 25 OR (substr(`opened_on`, 20, 1) = '.' AND length(`opened_on`) BETWEEN 27 AND 35)) AND substr(`opened_on`, -6) <> '+00:00'
    AND datetime(substr(`opened_on`, 1, 19) || substr(`opened_on`, -6)) IS NOT NULL;
UPDATE `classes` SET `closed_on` = datetime(substr(`closed_on`, 1, 19) || substr(`closed_on`, -6)) || substr(`closed_on`, 20, length(`closed_on`) - 25) || '+00:00'
  WHERE `closed_on` GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9] [0-9][0-9]:[0-9][0-9]:[0-9][0-9]*[+-][0-9][0-9]:[0-9][0-9]'
    AND (length(`closed_on`) = 25 OR (substr(`closed_on`, 20, 1) = '.' AND length(`closed_on`) BETWEEN 27 AND 35)) AND substr(`closed_on`, -6) <> '+00:00'
    AND datetime(substr(`closed_on`, 1, 19) || substr(`closed_on`, -6)) IS NOT NULL;
UPDATE `daily_reports` SET `cut_off` = datetime(substr(`cut_off`, 1, 19) || substr(`cut_off`, -6)) || substr(`cut_off`, 20, length(`cut_off`) - 25) || '+00:00'
  WHERE `cut_off` GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9] [0-9][0-9]:[0-9][0-9]:[0-9][0-9]*[+-][0-9][0-9]:[0-9][0-9]'
    AND (length(`cut_off`) = 25 OR (substr(`cut_off`, 20, 1) = '.' AND length(`cut_off`) BETWEEN 27 AND 35)) AND substr(`cut_off`, -6) <> '+00:00'
    AND datetime(substr(`cut_off`, 1, 19) || substr(`cut_off`, -6)) IS NOT NULL;
UPDATE `daily_reports` SET `compiled_at` = datetime(substr(`compiled_at`, 1, 19) || substr(`compiled_at`, -6)) || substr(`compiled_at`, 20, length(`compiled_at`) - 25) || '+00:00'
  WHERE `compiled_at` GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9] [0-9][0-9]:[0-9][0-9]:[0-9][0-9]*[+-][0-9][0-9]:[0-9][0-9]'
    AND (length(`compiled_at`) = 25 OR (substr(`compiled_at`, 20, 1) = '.' AND length(`compiled_at`) BETWEEN 27 AND 35)) AND substr(`compiled_at`, -6) <> '+00:00'
    AND datetime(substr(`compiled_at`, 1, 19) || substr(`compiled_at`, -6)) IS NOT NULL;
UPDATE `daily_reports` SET `attested_at` = datetime(substr(`attested_at`, 1, 19) || substr(`attested_at`, -6)) || substr(`attested_at`, 20, length(`attested_at`) - 25) || '+00:00'
  WHERE `attested_at` GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9] [0-9][0-9]:[0-9][0-9]:[0-9][0-9]*[+-][0-9][0-9]:[0-9][0-9]'
    AND (length(`attested_at`) = 25 OR (substr(`attested_at`, 20, 1) = '.' AND length(`attested_at`) BETWEEN 27 AND 35)) AND substr(`attested_at`, -6) <> '+00:00'
    AND datetime(substr(`attested_at`, 1, 19) || substr(`attested_at`, -6)) IS NOT NULL;
UPDATE `deliveries` SET `not_before` = datetime(substr(`not_before`, 1, 19) || substr(`not_before`, -6)) || substr(`not_before`, 20, length(`not_before`) - 25) || '+00:00'
  WHERE `not_before` GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9] [0-9][0-9]:[0-9][0-9]:[0-9][0-9]*[+-][0-9][0-9]:[0-9][0-9]'
    AND (length(`not_before`) = 25 OR (substr(`not_before`, 20, 1) = '.' AND length(`not_before`) BETWEEN 27 AND 35)) AND substr(`not_before`, -6) <> '+00:00'
    AND datetime(substr(`not_before`, 1, 19) || substr(`not_before`, -6)) IS NOT NULL;
UPDATE `deliveries` SET `queued_at` = datetime(substr(`queued_at`, 1, 19) || substr(`queued_at`, -6)) || substr(`queued_at`, 20, length(`queued_at`) - 25) || '+00:00'
  WHERE `queued_at` GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9] [0-9][0-9]:[0-9][0-9]:[0-9][0-9]*[+-][0-9][0-9]:[0-9][0-9]'
    AND (length(`queued_at`) = 25 OR (substr(`queued_at`, 20, 1) = '.' AND length(`queued_at`) BETWEEN 27 AND 35)) AND substr(`queued_at`, -6) <> '+00:00'
    AND datetime(substr(`queued_at`, 1, 19) || substr(`queued_at`, -6)) IS NOT NULL;
UPDATE `deliveries` SET `sent_at` = datetime(substr(`sent_at`, 1, 19) || substr(`sent_at`, -6)) || substr(`sent_at`, 20, length(`sent_at`) - 25) || '+00:00'
  WHERE `sent_at` GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9] [0-9][0-9]:[0-9][0-9]:[0-9][0-9]*[+-][0-9][0-9]:[0-9][0-9]'
    AND (length(`sent_at`) = 25 OR (substr(`sent_at`, 20, 1) = '.' AND length(`sent_at`) BETWEEN 27 AND 35)) AND substr(`sent_at`, -6) <> '+00:00'
    AND datetime(substr(`sent_at`, 1, 19) || substr(`sent_at`, -6)) IS NOT NULL;
UPDATE `deliveries` SET `created_at` = datetime(substr(`created_at`, 1, 19) || substr(`created_at`, -6)) || substr(`created_at`, 20, length(`created_at`) - 25) || '+00:00'
  WHERE `created_at` GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9] [0-9][0-9]:[0-9][0-9]:[0-9][0-9]*[+-][0-9][0-9]:[0-9][0-9]'
    AND (length(`created_at`) = 25 OR (substr(`created_at`, 20, 1) = '.' AND length(`created_at`) BETWEEN 27 AND 35)) AND substr(`created_at`, -6) <> '+00:00'
    AND datetime(substr(`created_at`, 1, 19) || substr(`created_at`, -6)) IS NOT NULL;
UPDATE `deliveries` SET `updated_at` = datetime(substr(`updated_at`, 1, 19) || substr(`updated_at`, -6)) || substr(`updated_at`, 20, length(`updated_at`) - 25) || '+00:00'
  WHERE `updated_at` GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9] [0-9][0-9]:[0-9][0-9]:[0-9][0-9]*[+-][0-9][0-9]:[0-9][0-9]'
    AND (length(`updated_at`) = 25 OR (substr(`updated_at`, 20, 1) = '.' AND length(`updated_at`) BETWEEN 27 AND 35)) AND substr(`updated_at`, -6) <> '+00:00'
    AND datetime(substr(`updated_at`, 1, 19) || substr(`updated_at`, -6)) IS NOT NULL;
UPDATE `enrollments` SET `start_on` = datetime(substr(`start_on`, 1, 19) || substr(`start_on`, -6)) || substr(`start_on`, 20, length(`start_on`) - 25) || '+00:00'
  WHERE `start_on` GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9] [0-9][0-9]:[0-9][0-9]:[0-9][0-9]*[+-][0-9][0-9]:[0-9][0-9]'
    AND (length(`start_on`) = 25 OR (substr(`start_on`, 20, 1) = '.' AND length(`start_on`) BETWEEN 27 AND 35)) AND substr(`start_on`, -6) <> '+00:00'
    AND datetime(substr(`start_on`, 1, 19) || substr(`start_on`, -6)) IS NOT NULL;
UPDATE `enrollments` SET `end_on` = datetime(substr(`end_on`, 1, 19) || substr(`end_on`, -6)) || substr(`end_on`, 20, length(`end_on`) - 25) || '+00:00'
  WHERE `end_on` GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9] [0-9][0-9]:[0-9][0-9]:[0-9][0-9]*[+-][0-9][0-9]:[0-9][0-9]'
    AND (length(`end_on`) = 25 OR (substr(`end_on`, 20, 1) = '.' AND length(`end_on`) BETWEEN 27 AND 35)) AND substr(`end_on`, -6) <> '+00:00'
    AND datetime(substr(`end_on`, 1, 19) || substr(`end_on`, -6)) IS NOT NULL;
UPDATE `exemptions` SET `created_at` = datetime(substr(`created_at`, 1, 19) || substr(`created_at`, -6)) || substr(`created_at`, 20, length(`created_at`) - 25) || '+00:00'
  WHERE `created_at` GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9] [0-9][0-9]:[0-9][0-9]:[0-9][0-9]*[+-][0-9][0-9]:[0-9][0-9]'
    AND (length(`created_at`) = 25 OR (substr(`created_at`, 20, 1) = '.' AND length(`created_at`) BETWEEN 27 AND 35)) AND substr(`created_at`, -6) <> '+00:00'
    AND datetime(substr(`created_at`, 1, 19) || substr(`created_at`, -6)) IS NOT NULL;
UPDATE `export_templates` SET `updated_at` = datetime(substr(`updated_at`, 1, 19) || substr(`updated_at`, -6)) || substr(`updated_at`, 20, length(`updated_at`) - 25) || '+00:00'
  WHERE `updated_at` GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9] [0-9][0-9]:[0-9][0-9]:[0-9][0-9]*[+-][0-9][0-9]:[0-9][0-9]'
    AND (length(`updated_at`) = 25 OR (substr(`updated_at`, 20, 1) = '.' AND length(`updated_at`) BETWEEN 27 AND 35)) AND substr(`updated_at`, -6) <> '+00:00'
    AND datetime(substr(`updated_at`, 1, 19) || substr(`updated_at`, -6)) IS NOT NULL;
UPDATE `follow_up_steps` SET `at` = datetime(substr(`at`, 1, 19) || substr(`at`, -6)) || substr(`at`, 20, length(`at`) - 25) || '+00:00'
  WHERE `at` GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9] [0-9][0-9]:[0-9][0-9]:[0-9][0-9]*[+-][0-9][0-9]:[0-9][0-9]'
    AND (length(`at`) = 25 OR (substr(`at`, 20, 1) = '.' AND length(`at`) BETWEEN 27 AND 35)) AND substr(`at`, -6) <> '+00:00'
    AND datetime(substr(`at`, 1, 19) || substr(`at`, -6)) IS NOT NULL;
UPDATE `follow_ups` SET `due_at` = datetime(substr(`due_at`, 1, 19) || substr(`due_at`, -6)) || substr(`due_at`, 20, length(`due_at`) - 25) || '+00:00'
  WHERE `due_at` GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9] [0-9][0-9]:[0-9][0-9]:[0-9][0-9]*[+-][0-9][0-9]:[0-9][0-9]'
    AND (length(`due_at`) = 25 OR (substr(`due_at`, 20, 1) = '.' AND length(`due_at`) BETWEEN 27 AND 35)) AND substr(`due_at`, -6) <> '+00:00'
    AND datetime(substr(`due_at`, 1, 19) || substr(`due_at`, -6)) IS NOT NULL;
UPDATE `follow_ups` SET `symptoms_ended_at` = datetime(substr(`symptoms_ended_at`, 1, 19) || substr(`symptoms_ended_at`, -6)) || substr(`symptoms_ended_at`, 20, length(`symptoms_ended_at`) - 25) || '+00:00'
  WHERE `symptoms_ended_at` GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9] [0-9][0-9]:[0-9][0-9]:[0-9][0-9]*[+-][0-9][0-9]:[0-9][0-9]'
    AND (length(`symptoms_ended_at`) = 25 OR (substr(`symptoms_ended_at`, 20, 1) = '.' AND length(`symptoms_ended_at`) BETWEEN 27 AND 35)) AND substr(`symptoms_ended_at`, -6) <> '+00:00'
    AND datetime(substr(`symptoms_ended_at`, 1, 19) || substr(`symptoms_ended_at`, -6)) IS NOT NULL;
UPDATE `follow_ups` SET `earliest_return_at` = datetime(substr(`earliest_return_at`, 1, 19) || substr(`earliest_return_at`, -6)) || substr(`earliest_return_at`, 20, length(`earliest_return_at`) - 25) || '+00:00'
  WHERE `earliest_return_at` GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9] [0-9][0-9]:[0-9][0-9]:[0-9][0-9]*[+-][0-9][0-9]:[0-9][0-9]'
    AND (length(`earliest_return_at`) = 25 OR (substr(`earliest_return_at`, 20, 1) = '.' AND length(`earliest_return_at`) BETWEEN 27 AND 35)) AND substr(`earliest_return_at`, -6) <> '+00:00'
    AND datetime(substr(`earliest_return_at`, 1, 19) || substr(`earliest_return_at`, -6)) IS NOT NULL;
UPDATE `follow_ups` SET `cleared_at` = datetime(substr(`cleared_at`, 1, 19) || substr(`cleared_at`, -6)) || substr(`cleared_at`, 20, length(`cleared_at`) - 25) || '+00:00'
  WHERE `cleared_at` GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9] [0-9][0-9]:[0-9][0-9]:[0-9][0-9]*[+-][0-9][0-9]:[0-9][0-9]'
    AND (length(`cleared_at`) = 25 OR (substr(`cleared_at`, 20, 1) = '.' AND length(`cleared_at`) BETWEEN 27 AND 35)) AND substr(`cleared_at`, -6) <> '+00:00'
    AND datetime(substr(`cleared_at`, 1, 19) || substr(`cleared_at`, -6)) IS NOT NULL;
UPDATE `follow_ups` SET `created_at` = datetime(substr(`created_at`, 1, 19) || substr(`created_at`, -6)) || substr(`created_at`, 20, length(`created_at`) - 25) || '+00:00'
  WHERE `created_at` GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9] [0-9][0-9]:[0-9][0-9]:[0-9][0-9]*[+-][0-9][0-9]:[0-9][0-9]'
    AND (length(`created_at`) = 25 OR (substr(`created_at`, 20, 1) = '.' AND length(`created_at`) BETWEEN 27 AND 35)) AND substr(`created_at`, -6) <> '+00:00'
    AND datetime(substr(`created_at`, 1, 19) || substr(`created_at`, -6)) IS NOT NULL;
UPDATE `follow_ups` SET `verified_at` = datetime(substr(`verified_at`, 1, 19) || substr(`verified_at`, -6)) || substr(`verified_at`, 20, length(`verified_at`) - 25) || '+00:00'
  WHERE `verified_at` GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9] [0-9][0-9]:[0-9][0-9]:[0-9][0-9]*[+-][0-9][0-9]:[0-9][0-9]'
    AND (length(`verified_at`) = 25 OR (substr(`verified_at`, 20, 1) = '.' AND length(`verified_at`) BETWEEN 27 AND 35)) AND substr(`verified_at`, -6) <> '+00:00'
    AND datetime(substr(`verified_at`, 1, 19) || substr(`verified_at`, -6)) IS NOT NULL;
UPDATE `notification_preferences` SET `updated_at` = datetime(substr(`updated_at`, 1, 19) || substr(`updated_at`, -6)) || substr(`updated_at`, 20, length(`updated_at`) - 25) || '+00:00'
  WHERE `updated_at` GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9] [0-9][0-9]:[0-9][0-9]:[0-9][0-9]*[+-][0-9][0-9]:[0-9][0-9]'
    AND (length(`updated_at`) = 25 OR (substr(`updated_at`, 20, 1) = '.' AND length(`updated_at`) BETWEEN 27 AND 35)) AND substr(`updated_at`, -6) <> '+00:00'
    AND datetime(substr(`updated_at`, 1, 19) || substr(`updated_at`, -6)) IS NOT NULL;
UPDATE `notifications` SET `read_at` = datetime(substr(`read_at`, 1, 19) || substr(`read_at`, -6)) || substr(`read_at`, 20, length(`read_at`) - 25) || '+00:00'
  WHERE `read_at` GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9] [0-9][0-9]:[0-9][0-9]:[0-9][0-9]*[+-][0-9][0-9]:[0-9][0-9]'
    AND (length(`read_at`) = 25 OR (substr(`read_at`, 20, 1) = '.' AND length(`read_at`) BETWEEN 27 AND 35)) AND substr(`read_at`, -6) <> '+00:00'
    AND datetime(substr(`read_at`, 1, 19) || substr(`read_at`, -6)) IS NOT NULL;
UPDATE `notifications` SET `created_at` = datetime(substr(`created_at`, 1, 19) || substr(`created_at`, -6)) || substr(`created_at`, 20, length(`created_at`) - 25) || '+00:00'
  WHERE `created_at` GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9] [0-9][0-9]:[0-9][0-9]:[0-9][0-9]*[+-][0-9][0-9]:[0-9][0-9]'
    AND (length(`created_at`) = 25 OR (substr(`created_at`, 20, 1) = '.' AND length(`created_at`) BETWEEN 27 AND 35)) AND substr(`created_at`, -6) <> '+00:00'
    AND datetime(substr(`created_at`, 1, 19) || substr(`created_at`, -6)) IS NOT NULL;
UPDATE `observation_stays` SET `in_at` = datetime(substr(`in_at`, 1, 19) || substr(`in_at`, -6)) || substr(`in_at`, 20, length(`in_at`) - 25) || '+00:00'
  WHERE `in_at` GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9] [0-9][0-9]:[0-9][0-9]:[0-9][0-9]*[+-][0-9][0-9]:[0-9][0-9]'
    AND (length(`in_at`) = 25 OR (substr(`in_at`, 20, 1) = '.' AND length(`in_at`) BETWEEN 27 AND 35)) AND substr(`in_at`, -6) <> '+00:00'
    AND datetime(substr(`in_at`, 1, 19) || substr(`in_at`, -6)) IS NOT NULL;
UPDATE `observation_stays` SET `parent_notified_at` = datetime(substr(`parent_notified_at`, 1, 19) || substr(`parent_notified_at`, -6)) || substr(`parent_notified_at`, 20, length(`parent_notified_at`) - 25) || '+00:00'
  WHERE `parent_notified_at` GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9] [0-9][0-9]:[0-9][0-9]:[0-9][0-9]*[+-][0-9][0-9]:[0-9][0-9]'
    AND (length(`parent_notified_at`) = 25 OR (substr(`parent_notified_at`, 20, 1) = '.' AND length(`parent_notified_at`) BETWEEN 27 AND 35)) AND substr(`parent_notified_at`, -6) <> '+00:00'
    AND datetime(substr(`parent_notified_at`, 1, 19) || substr(`parent_notified_at`, -6)) IS NOT NULL;
UPDATE `observation_stays` SET `out_at` = datetime(substr(`out_at`, 1, 19) || substr(`out_at`, -6)) || substr(`out_at`, 20, length(`out_at`) - 25) || '+00:00'
  WHERE `out_at` GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9] [0-9][0-9]:[0-9][0-9]:[0-9][0-9]*[+-][0-9][0-9]:[0-9][0-9]'
    AND (length(`out_at`) = 25 OR (substr(`out_at`, 20, 1) = '.' AND length(`out_at`) BETWEEN 27 AND 35)) AND substr(`out_at`, -6) <> '+00:00'
    AND datetime(substr(`out_at`, 1, 19) || substr(`out_at`, -6)) IS NOT NULL;
UPDATE `robot_webhooks` SET `created_at` = datetime(substr(`created_at`, 1, 19) || substr(`created_at`, -6)) || substr(`created_at`, 20, length(`created_at`) - 25) || '+00:00'
  WHERE `created_at` GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9] [0-9][0-9]:[0-9][0-9]:[0-9][0-9]*[+-][0-9][0-9]:[0-9][0-9]'
    AND (length(`created_at`) = 25 OR (substr(`created_at`, 20, 1) = '.' AND length(`created_at`) BETWEEN 27 AND 35)) AND substr(`created_at`, -6) <> '+00:00'
    AND datetime(substr(`created_at`, 1, 19) || substr(`created_at`, -6)) IS NOT NULL;
UPDATE `sessions` SET `created_at` = datetime(substr(`created_at`, 1, 19) || substr(`created_at`, -6)) || substr(`created_at`, 20, length(`created_at`) - 25) || '+00:00'
  WHERE `created_at` GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9] [0-9][0-9]:[0-9][0-9]:[0-9][0-9]*[+-][0-9][0-9]:[0-9][0-9]'
    AND (length(`created_at`) = 25 OR (substr(`created_at`, 20, 1) = '.' AND length(`created_at`) BETWEEN 27 AND 35)) AND substr(`created_at`, -6) <> '+00:00'
    AND datetime(substr(`created_at`, 1, 19) || substr(`created_at`, -6)) IS NOT NULL;
UPDATE `sessions` SET `expires_at` = datetime(substr(`expires_at`, 1, 19) || substr(`expires_at`, -6)) || substr(`expires_at`, 20, length(`expires_at`) - 25) || '+00:00'
  WHERE `expires_at` GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9] [0-9][0-9]:[0-9][0-9]:[0-9][0-9]*[+-][0-9][0-9]:[0-9][0-9]'
    AND (length(`expires_at`) = 25 OR (substr(`expires_at`, 20, 1) = '.' AND length(`expires_at`) BETWEEN 27 AND 35)) AND substr(`expires_at`, -6) <> '+00:00'
    AND datetime(substr(`expires_at`, 1, 19) || substr(`expires_at`, -6)) IS NOT NULL;
UPDATE `sessions` SET `last_seen_at` = datetime(substr(`last_seen_at`, 1, 19) || substr(`last_seen_at`, -6)) || substr(`last_seen_at`, 20, length(`last_seen_at`) - 25) || '+00:00'
  WHERE `last_seen_at` GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9] [0-9][0-9]:[0-9][0-9]:[0-9][0-9]*[+-][0-9][0-9]:[0-9][0-9]'
    AND (length(`last_seen_at`) = 25 OR (substr(`last_seen_at`, 20, 1) = '.' AND length(`last_seen_at`) BETWEEN 27 AND 35)) AND substr(`last_seen_at`, -6) <> '+00:00'
    AND datetime(substr(`last_seen_at`, 1, 19) || substr(`last_seen_at`, -6)) IS NOT NULL;
UPDATE `sessions` SET `revoked_at` = datetime(substr(`revoked_at`, 1, 19) || substr(`revoked_at`, -6)) || substr(`revoked_at`, 20, length(`revoked_at`) - 25) || '+00:00'
  WHERE `revoked_at` GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9] [0-9][0-9]:[0-9][0-9]:[0-9][0-9]*[+-][0-9][0-9]:[0-9][0-9]'
    AND (length(`revoked_at`) = 25 OR (substr(`revoked_at`, 20, 1) = '.' AND length(`revoked_at`) BETWEEN 27 AND 35)) AND substr(`revoked_at`, -6) <> '+00:00'
    AND datetime(substr(`revoked_at`, 1, 19) || substr(`revoked_at`, -6)) IS NOT NULL;
UPDATE `staff_checks` SET `submitted_at` = datetime(substr(`submitted_at`, 1, 19) || substr(`submitted_at`, -6)) || substr(`submitted_at`, 20, length(`submitted_at`) - 25) || '+00:00'
  WHERE `submitted_at` GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9] [0-9][0-9]:[0-9][0-9]:[0-9][0-9]*[+-][0-9][0-9]:[0-9][0-9]'
    AND (length(`submitted_at`) = 25 OR (substr(`submitted_at`, 20, 1) = '.' AND length(`submitted_at`) BETWEEN 27 AND 35)) AND substr(`submitted_at`, -6) <> '+00:00'
    AND datetime(substr(`submitted_at`, 1, 19) || substr(`submitted_at`, -6)) IS NOT NULL;
UPDATE `staff_follow_ups` SET `due_at` = datetime(substr(`due_at`, 1, 19) || substr(`due_at`, -6)) || substr(`due_at`, 20, length(`due_at`) - 25) || '+00:00'
  WHERE `due_at` GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9] [0-9][0-9]:[0-9][0-9]:[0-9][0-9]*[+-][0-9][0-9]:[0-9][0-9]'
    AND (length(`due_at`) = 25 OR (substr(`due_at`, 20, 1) = '.' AND length(`due_at`) BETWEEN 27 AND 35)) AND substr(`due_at`, -6) <> '+00:00'
    AND datetime(substr(`due_at`, 1, 19) || substr(`due_at`, -6)) IS NOT NULL;
UPDATE `staff_follow_ups` SET `symptoms_ended_at` = datetime(substr(`symptoms_ended_at`, 1, 19) || substr(`symptoms_ended_at`, -6)) || substr(`symptoms_ended_at`, 20, length(`symptoms_ended_at`) - 25) || '+00:00'
  WHERE `symptoms_ended_at` GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9] [0-9][0-9]:[0-9][0-9]:[0-9][0-9]*[+-][0-9][0-9]:[0-9][0-9]'
    AND (length(`symptoms_ended_at`) = 25 OR (substr(`symptoms_ended_at`, 20, 1) = '.' AND length(`symptoms_ended_at`) BETWEEN 27 AND 35)) AND substr(`symptoms_ended_at`, -6) <> '+00:00'
    AND datetime(substr(`symptoms_ended_at`, 1, 19) || substr(`symptoms_ended_at`, -6)) IS NOT NULL;
UPDATE `staff_follow_ups` SET `earliest_return_at` = datetime(substr(`earliest_return_at`, 1, 19) || substr(`earliest_return_at`, -6)) || substr(`earliest_return_at`, 20, length(`earliest_return_at`) - 25) || '+00:00'
  WHERE `earliest_return_at` GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9] [0-9][0-9]:[0-9][0-9]:[0-9][0-9]*[+-][0-9][0-9]:[0-9][0-9]'
    AND (length(`earliest_return_at`) = 25 OR (substr(`earliest_return_at`, 20, 1) = '.' AND length(`earliest_return_at`) BETWEEN 27 AND 35)) AND substr(`earliest_return_at`, -6) <> '+00:00'
    AND datetime(substr(`earliest_return_at`, 1, 19) || substr(`earliest_return_at`, -6)) IS NOT NULL;
UPDATE `staff_follow_ups` SET `cleared_at` = datetime(substr(`cleared_at`, 1, 19) || substr(`cleared_at`, -6)) || substr(`cleared_at`, 20, length(`cleared_at`) - 25) || '+00:00'
  WHERE `cleared_at` GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9] [0-9][0-9]:[0-9][0-9]:[0-9][0-9]*[+-][0-9][0-9]:[0-9][0-9]'
    AND (length(`cleared_at`) = 25 OR (substr(`cleared_at`, 20, 1) = '.' AND length(`cleared_at`) BETWEEN 27 AND 35)) AND substr(`cleared_at`, -6) <> '+00:00'
    AND datetime(substr(`cleared_at`, 1, 19) || substr(`cleared_at`, -6)) IS NOT NULL;
UPDATE `staff_follow_ups` SET `verified_at` = datetime(substr(`verified_at`, 1, 19) || substr(`verified_at`, -6)) || substr(`verified_at`, 20, length(`verified_at`) - 25) || '+00:00'
  WHERE `verified_at` GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9] [0-9][0-9]:[0-9][0-9]:[0-9][0-9]*[+-][0-9][0-9]:[0-9][0-9]'
    AND (length(`verified_at`) = 25 OR (substr(`verified_at`, 20, 1) = '.' AND length(`verified_at`) BETWEEN 27 AND 35)) AND substr(`verified_at`, -6) <> '+00:00'
    AND datetime(substr(`verified_at`, 1, 19) || substr(`verified_at`, -6)) IS NOT NULL;
UPDATE `staff_follow_ups` SET `created_at` = datetime(substr(`created_at`, 1, 19) || substr(`created_at`, -6)) || substr(`created_at`, 20, length(`created_at`) - 25) || '+00:00'
  WHERE `created_at` GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9] [0-9][0-9]:[0-9][0-9]:[0-9][0-9]*[+-][0-9][0-9]:[0-9][0-9]'
    AND (length(`created_at`) = 25 OR (substr(`created_at`, 20, 1) = '.' AND length(`created_at`) BETWEEN 27 AND 35)) AND substr(`created_at`, -6) <> '+00:00'
    AND datetime(substr(`created_at`, 1, 19) || substr(`created_at`, -6)) IS NOT NULL;
UPDATE `staff_follow_ups` SET `notifiable_at` = datetime(substr(`notifiable_at`, 1, 19) || substr(`notifiable_at`, -6)) || substr(`notifiable_at`, 20, length(`notifiable_at`) - 25) || '+00:00'
  WHERE `notifiable_at` GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9] [0-9][0-9]:[0-9][0-9]:[0-9][0-9]*[+-][0-9][0-9]:[0-9][0-9]'
    AND (length(`notifiable_at`) = 25 OR (substr(`notifiable_at`, 20, 1) = '.' AND length(`notifiable_at`) BETWEEN 27 AND 35)) AND substr(`notifiable_at`, -6) <> '+00:00'
    AND datetime(substr(`notifiable_at`, 1, 19) || substr(`notifiable_at`, -6)) IS NOT NULL;
UPDATE `staffs` SET `left_on` = datetime(substr(`left_on`, 1, 19) || substr(`left_on`, -6)) || substr(`left_on`, 20, length(`left_on`) - 25) || '+00:00'
  WHERE `left_on` GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9] [0-9][0-9]:[0-9][0-9]:[0-9][0-9]*[+-][0-9][0-9]:[0-9][0-9]'
    AND (length(`left_on`) = 25 OR (substr(`left_on`, 20, 1) = '.' AND length(`left_on`) BETWEEN 27 AND 35)) AND substr(`left_on`, -6) <> '+00:00'
    AND datetime(substr(`left_on`, 1, 19) || substr(`left_on`, -6)) IS NOT NULL;
UPDATE `students` SET `birth_date` = datetime(substr(`birth_date`, 1, 19) || substr(`birth_date`, -6)) || substr(`birth_date`, 20, length(`birth_date`) - 25) || '+00:00'
  WHERE `birth_date` GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9] [0-9][0-9]:[0-9][0-9]:[0-9][0-9]*[+-][0-9][0-9]:[0-9][0-9]'
    AND (length(`birth_date`) = 25 OR (substr(`birth_date`, 20, 1) = '.' AND length(`birth_date`) BETWEEN 27 AND 35)) AND substr(`birth_date`, -6) <> '+00:00'
    AND datetime(substr(`birth_date`, 1, 19) || substr(`birth_date`, -6)) IS NOT NULL;
UPDATE `students` SET `created_at` = datetime(substr(`created_at`, 1, 19) || substr(`created_at`, -6)) || substr(`created_at`, 20, length(`created_at`) - 25) || '+00:00'
  WHERE `created_at` GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9] [0-9][0-9]:[0-9][0-9]:[0-9][0-9]*[+-][0-9][0-9]:[0-9][0-9]'
    AND (length(`created_at`) = 25 OR (substr(`created_at`, 20, 1) = '.' AND length(`created_at`) BETWEEN 27 AND 35)) AND substr(`created_at`, -6) <> '+00:00'
    AND datetime(substr(`created_at`, 1, 19) || substr(`created_at`, -6)) IS NOT NULL;
UPDATE `tenants` SET `created_at` = datetime(substr(`created_at`, 1, 19) || substr(`created_at`, -6)) || substr(`created_at`, 20, length(`created_at`) - 25) || '+00:00'
  WHERE `created_at` GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9] [0-9][0-9]:[0-9][0-9]:[0-9][0-9]*[+-][0-9][0-9]:[0-9][0-9]'
    AND (length(`created_at`) = 25 OR (substr(`created_at`, 20, 1) = '.' AND length(`created_at`) BETWEEN 27 AND 35)) AND substr(`created_at`, -6) <> '+00:00'
    AND datetime(substr(`created_at`, 1, 19) || substr(`created_at`, -6)) IS NOT NULL;
UPDATE `tenants` SET `updated_at` = datetime(substr(`updated_at`, 1, 19) || substr(`updated_at`, -6)) || substr(`updated_at`, 20, length(`updated_at`) - 25) || '+00:00'
  WHERE `updated_at` GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9] [0-9][0-9]:[0-9][0-9]:[0-9][0-9]*[+-][0-9][0-9]:[0-9][0-9]'
    AND (length(`updated_at`) = 25 OR (substr(`updated_at`, 20, 1) = '.' AND length(`updated_at`) BETWEEN 27 AND 35)) AND substr(`updated_at`, -6) <> '+00:00'
    AND datetime(substr(`updated_at`, 1, 19) || substr(`updated_at`, -6)) IS NOT NULL;
UPDATE `tenants` SET `deactivated_at` = datetime(substr(`deactivated_at`, 1, 19) || substr(`deactivated_at`, -6)) || substr(`deactivated_at`, 20, length(`deactivated_at`) - 25) || '+00:00'
  WHERE `deactivated_at` GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9] [0-9][0-9]:[0-9][0-9]:[0-9][0-9]*[+-][0-9][0-9]:[0-9][0-9]'
    AND (length(`deactivated_at`) = 25 OR (substr(`deactivated_at`, 20, 1) = '.' AND length(`deactivated_at`) BETWEEN 27 AND 35)) AND substr(`deactivated_at`, -6) <> '+00:00'
    AND datetime(substr(`deactivated_at`, 1, 19) || substr(`deactivated_at`, -6)) IS NOT NULL;
UPDATE `users` SET `last_login_at` = datetime(substr(`last_login_at`, 1, 19) || substr(`last_login_at`, -6)) || substr(`last_login_at`, 20, length(`last_login_at`) - 25) || '+00:00'
  WHERE `last_login_at` GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9] [0-9][0-9]:[0-9][0-9]:[0-9][0-9]*[+-][0-9][0-9]:[0-9][0-9]'
    AND (length(`last_login_at`) = 25 OR (substr(`last_login_at`, 20, 1) = '.' AND length(`last_login_at`) BETWEEN 27 AND 35)) AND substr(`last_login_at`, -6) <> '+00:00'
    AND datetime(substr(`last_login_at`, 1, 19) || substr(`last_login_at`, -6)) IS NOT NULL;
UPDATE `users` SET `password_changed_at` = datetime(substr(`password_changed_at`, 1, 19) || substr(`password_changed_at`, -6)) || substr(`password_changed_at`, 20, length(`password_changed_at`) - 25) || '+00:00'
  WHERE `password_changed_at` GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9] [0-9][0-9]:[0-9][0-9]:[0-9][0-9]*[+-][0-9][0-9]:[0-9][0-9]'
    AND (length(`password_changed_at`) = 25 OR (substr(`password_changed_at`, 20, 1) = '.' AND length(`password_changed_at`) BETWEEN 27 AND 35)) AND substr(`password_changed_at`, -6) <> '+00:00'
    AND datetime(substr(`password_changed_at`, 1, 19) || substr(`password_changed_at`, -6)) IS NOT NULL;
UPDATE `users` SET `created_at` = datetime(substr(`created_at`, 1, 19) || substr(`created_at`, -6)) || substr(`created_at`, 20, length(`created_at`) - 25) || '+00:00'
  WHERE `created_at` GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9] [0-9][0-9]:[0-9][0-9]:[0-9][0-9]*[+-][0-9][0-9]:[0-9][0-9]'
    AND (length(`created_at`) = 25 OR (substr(`created_at`, 20, 1) = '.' AND length(`created_at`) BETWEEN 27 AND 35)) AND substr(`created_at`, -6) <> '+00:00'
    AND datetime(substr(`created_at`, 1, 19) || substr(`created_at`, -6)) IS NOT NULL;
UPDATE `users` SET `updated_at` = datetime(substr(`updated_at`, 1, 19) || substr(`updated_at`, -6)) || substr(`updated_at`, 20, length(`updated_at`) - 25) || '+00:00'
  WHERE `updated_at` GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9] [0-9][0-9]:[0-9][0-9]:[0-9][0-9]*[+-][0-9][0-9]:[0-9][0-9]'
    AND (length(`updated_at`) = 25 OR (substr(`updated_at`, 20, 1) = '.' AND length(`updated_at`) BETWEEN 27 AND 35)) AND substr(`updated_at`, -6) <> '+00:00'
    AND datetime(substr(`updated_at`, 1, 19) || substr(`updated_at`, -6)) IS NOT NULL;
