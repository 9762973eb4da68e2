package migrations

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"
	"testing/fstest"

	_ "modernc.org/sqlite"
)

// A later SQLite migration that rebuilds a parent table, the way Atlas writes most column changes, must keep
// the child rows intact. With foreign keys on during the migration, DROP TABLE tenants would run the
// ON DELETE SET NULL action (and fail outright for NO ACTION children).
func TestSQLiteTableRebuildKeepsChildRows(t *testing.T) {
	saved := files
	t.Cleanup(func() { files = saved })
	files = fstest.MapFS{
		"sqlite/1_init.up.sql": {Data: []byte(`
CREATE TABLE tenants (id integer NOT NULL PRIMARY KEY AUTOINCREMENT, name text NOT NULL);
CREATE TABLE users (id integer NOT NULL PRIMARY KEY AUTOINCREMENT, tenant_id integer NULL,
  CONSTRAINT users_tenant FOREIGN KEY (tenant_id) REFERENCES tenants (id) ON DELETE SET NULL);
CREATE TABLE sessions (id integer NOT NULL PRIMARY KEY AUTOINCREMENT, user_id integer NOT NULL,
  CONSTRAINT sessions_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE NO ACTION);
INSERT INTO tenants (id, name) VALUES (1, 't');
INSERT INTO users (id, tenant_id) VALUES (1, 1);
INSERT INTO sessions (id, user_id) VALUES (1, 1);
`)},
		// Shaped like Atlas's output, its own (here ineffective) pragmas included.
		"sqlite/2_rebuild.up.sql": {Data: []byte(`
PRAGMA foreign_keys = off;
CREATE TABLE new_tenants (id integer NOT NULL PRIMARY KEY AUTOINCREMENT, name text NOT NULL, code text NULL);
INSERT INTO new_tenants (id, name) SELECT id, name FROM tenants;
DROP TABLE tenants;
ALTER TABLE new_tenants RENAME TO tenants;
CREATE TABLE new_users (id integer NOT NULL PRIMARY KEY AUTOINCREMENT, tenant_id integer NULL, phone text NULL,
  CONSTRAINT users_tenant FOREIGN KEY (tenant_id) REFERENCES tenants (id) ON DELETE SET NULL);
INSERT INTO new_users (id, tenant_id) SELECT id, tenant_id FROM users;
DROP TABLE users;
ALTER TABLE new_users RENAME TO users;
PRAGMA foreign_keys = on;
`)},
	}
	db, err := sql.Open("sqlite", filepath.Join(t.TempDir(), "x.db")+"?_pragma=foreign_keys(1)&_txlock=immediate")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1) // so the checks below see the very connection the migrations ran on
	if err := Apply(context.Background(), db, SQLite); err != nil {
		t.Fatalf("Apply: %v", err)
	}
	var tenantID sql.NullInt64
	if err := db.QueryRow("SELECT tenant_id FROM users WHERE id = 1").Scan(&tenantID); err != nil {
		t.Fatal(err)
	}
	if tenantID.Int64 != 1 {
		t.Errorf("users.tenant_id = %v after rebuilding tenants, want 1 (ON DELETE SET NULL fired)", tenantID)
	}
	var fk int
	if err := db.QueryRow("PRAGMA foreign_keys").Scan(&fk); err != nil || fk != 1 {
		t.Errorf("foreign_keys = %d (%v) on the migrating connection afterwards, want 1", fk, err)
	}
	// Foreign keys are enforced again.
	if _, err := db.Exec("INSERT INTO sessions (user_id) VALUES (99)"); err == nil {
		t.Error("insert with a dangling user_id succeeded; foreign keys not re-enabled")
	}
}

// Migrations that leave a dangling reference fail Apply instead of passing silently.
func TestSQLiteForeignKeyCheck(t *testing.T) {
	saved := files
	t.Cleanup(func() { files = saved })
	files = fstest.MapFS{
		"sqlite/1_init.up.sql": {Data: []byte(`
CREATE TABLE tenants (id integer PRIMARY KEY);
CREATE TABLE users (id integer PRIMARY KEY, tenant_id integer REFERENCES tenants (id));
INSERT INTO users (id, tenant_id) VALUES (1, 42);
`)},
	}
	db, err := sql.Open("sqlite", filepath.Join(t.TempDir(), "x.db")+"?_pragma=foreign_keys(1)")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := Apply(context.Background(), db, SQLite); err == nil {
		t.Fatal("Apply succeeded with a dangling foreign key")
	}
}
