-- reverse: create index "robotwebhook_tenant_id_name" to table: "robot_webhooks"
DROP INDEX `robotwebhook_tenant_id_name`;
-- reverse: set sequence for "robot_webhooks" table
UPDATE sqlite_sequence SET seq = 0 WHERE name = "robot_webhooks";
-- reverse: create "robot_webhooks" table
DROP TABLE `robot_webhooks`;
-- reverse: create index "notificationpreference_user_id" to table: "notification_preferences"
DROP INDEX `notificationpreference_user_id`;
-- reverse: set sequence for "notification_preferences" table
UPDATE sqlite_sequence SET seq = 0 WHERE name = "notification_preferences";
-- reverse: create "notification_preferences" table
DROP TABLE `notification_preferences`;
-- reverse: create index "notification_recipient_id_read_at" to table: "notifications"
DROP INDEX `notification_recipient_id_read_at`;
-- reverse: create index "notification_recipient_id_dedupe_key" to table: "notifications"
DROP INDEX `notification_recipient_id_dedupe_key`;
-- reverse: set sequence for "notifications" table
UPDATE sqlite_sequence SET seq = 0 WHERE name = "notifications";
-- reverse: create "notifications" table
DROP TABLE `notifications`;
-- reverse: create index "delivery_tenant_id_created_at" to table: "deliveries"
DROP INDEX `delivery_tenant_id_created_at`;
-- reverse: create index "delivery_status_created_at" to table: "deliveries"
DROP INDEX `delivery_status_created_at`;
-- reverse: create index "delivery_robot_id_dedupe_key" to table: "deliveries"
DROP INDEX `delivery_robot_id_dedupe_key`;
-- reverse: create index "delivery_notification_id_channel" to table: "deliveries"
DROP INDEX `delivery_notification_id_channel`;
-- reverse: set sequence for "deliveries" table
UPDATE sqlite_sequence SET seq = 0 WHERE name = "deliveries";
-- reverse: create "deliveries" table
DROP TABLE `deliveries`;
