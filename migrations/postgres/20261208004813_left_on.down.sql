-- reverse: modify "students" table
ALTER TABLE "students" DROP COLUMN "left_on";
