-- reverse: add column "left_on" to table: "students"
ALTER TABLE `students` DROP COLUMN `left_on`;
