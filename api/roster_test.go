package api_test

import (
	"bytes"
	"mime/multipart"
	"net/http"
	"reflect"
	"strings"
	"testing"

	"github.com/campushealth/campushealth/ent/guardian"
	"github.com/campushealth/campushealth/ent/student"
)

// upload posts a GraphQL multipart request with one file as $f.
func (e *env) upload(token, query, filename string, data []byte) *gqlResponse {
	e.t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	_ = mw.WriteField("operations", `{"query":`+quote(query)+`,"variables":{"f":null}}`)
	_ = mw.WriteField("map", `{"0":["variables.f"]}`)
	fw, _ := mw.CreateFormFile("0", filename)
	_, _ = fw.Write(data)
	_ = mw.Close()
	req, _ := http.NewRequest(http.MethodPost, e.srv.URL+"/graphql", &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+token)
	return e.send(req)
}

func quote(s string) string {
	b := bytes.NewBufferString(`"`)
	for _, r := range s {
		switch r {
		case '"', '\\':
			b.WriteRune('\\')
		}
		b.WriteRune(r)
	}
	b.WriteString(`"`)
	return b.String()
}

const importMutation = `mutation($f: Upload!) { importRoster(file: $f) { state total created updated unchanged guardiansCreated errors { line field reason } } }`

type importResult struct {
	State                                                string
	Total, Created, Updated, Unchanged, GuardiansCreated int
	Errors                                               []struct {
		Line          int
		Field, Reason string
	}
}

// TestRosterUploadThroughGraphQL: a principal uploads a roster; a bad file writes nothing and names every
// bad row; the same file again changes nothing.
func TestRosterUploadThroughGraphQL(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		w := e.newWorld()
		sys := system()
		g := must(e.client.Grade.Create().SetTenantID(w.A.ID).SetName("一年级").Save(sys))
		must(e.client.Class.Create().SetTenantID(w.A.ID).SetName("一年级(1)班").SetGrade(g).Save(sys))
		p := w.tok["a.principal"]

		bad := []byte("姓名,学籍号,性别,班级,监护人,关系,监护人电话\n" +
			"王小明,A001,男,一年级(1)班,王大明,父亲,13812345678\n" +
			",A002,女,一年级(1)班,李大红,母亲,13812345679\n" +
			"张三,A003,男,一年级(9)班,张父,父亲,13812345670\n" +
			"李四,A001,男,一年级(1)班,李父,父亲,123\n")
		var res importResult
		e.upload(p, importMutation, "roster.csv", bad).ok(t).decode(t, "importRoster", &res)
		if res.State != "failed" || len(res.Errors) < 4 {
			t.Fatalf("bad file: %+v", res)
		}
		lines := map[int]bool{}
		for _, er := range res.Errors {
			lines[er.Line] = true
		}
		if !lines[3] || !lines[4] || !lines[5] || lines[2] {
			t.Errorf("error lines %v, want 3, 4 and 5 (not 2)", lines)
		}
		if n := must(e.client.Student.Query().Where(student.TenantID(w.A.ID)).Count(sys)); n != 0 {
			t.Fatalf("a bad file wrote %d students", n)
		}

		good := []byte("姓名,学籍号,性别,班级,监护人,关系,监护人电话\n" +
			"王小明,A001,男,一年级(1)班,王大明,父亲,13812345678\n" +
			"李小红,A002,女,一年级(1)班,李大红,母亲,13812345679\n")
		e.upload(p, importMutation, "roster.csv", good).ok(t).decode(t, "importRoster", &res)
		if res.State != "done" || res.Created != 2 || res.GuardiansCreated != 2 {
			t.Fatalf("good file: %+v", res)
		}
		e.upload(p, importMutation, "roster.csv", good).ok(t).decode(t, "importRoster", &res)
		if res.Created != 0 || res.Unchanged != 2 {
			t.Errorf("re-import: %+v", res)
		}
		// A teacher without a class may not import; an unknown import ID is simply not there.
		if r := e.upload(w.tok["a.teacher"], importMutation, "roster.csv", good); r.Code() == "" {
			var got importResult
			r.decode(t, "importRoster", &got)
			if got.State == "done" && got.Updated+got.Created > 0 {
				t.Errorf("teacher without a class changed the roster: %+v", got)
			}
		}
		if r := e.gql(p, `{ rosterImport(id: "00000000000000000000000000000000") { state } }`, nil).ok(t); string(r.Data["rosterImport"]) != "null" {
			t.Errorf("unknown import: %s", r.Data["rosterImport"])
		}
	})
}

// TestRosterImportPrimaryContact: after a roster import through GraphQL, every pupil the file names a
// guardian for has exactly one primary contact (DOMAIN §2.1), as the principal reads them back. 李一's and
// 赵三's guardians were added earlier and none as the primary contact: the file's guardian becomes it (李母
// new, 赵母 stored, matched on her phone); 王二's 王父 stays it when the file names 王母; a new pupil's
// guardian is hers. A file with a bad row writes none of it.
func TestRosterImportPrimaryContact(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		w := e.newOrgWorld() // 李一 一年级(1)班, 王二 一年级(2)班 (王父, primary), 赵三 二年级(1)班
		sys := system()
		guardianOf := func(student int, name, relation, phone string) {
			must(e.client.Guardian.Create().SetTenantID(w.A.ID).SetStudentID(student).SetName(name).
				SetRelation(guardian.Relation(relation)).SetPhone(phone).SetPrimaryContact(false).Save(sys))
		}
		guardianOf(w.s1, "李父", "father", "13700000011")
		guardianOf(w.s3, "赵父", "father", "13700000031")
		guardianOf(w.s3, "赵母", "mother", "13700000032")
		// primaries: each pupil's primary contacts (phones) and number of guardians, by student number, as the
		// principal reads them.
		primaries := func() map[string][2]any {
			var got struct {
				Edges []struct {
					Node struct {
						StudentNumber string
						Guardians     []struct {
							Phone          string
							PrimaryContact bool
						}
					}
				}
			}
			e.gql(w.tokP, `{ students(first: 100) { edges { node { studentNumber guardians { phone primaryContact } } } } }`, nil).
				ok(t).decode(t, "students", &got)
			out := map[string][2]any{}
			for _, edge := range got.Edges {
				var ps []string
				for _, g := range edge.Node.Guardians {
					if g.PrimaryContact {
						ps = append(ps, g.Phone)
					}
				}
				out[edge.Node.StudentNumber] = [2]any{strings.Join(ps, ","), len(edge.Node.Guardians)}
			}
			return out
		}
		header := "姓名,学籍号,性别,班级,监护人,关系,监护人电话\n"
		good := header + "李一,A0001,女,一年级(1)班,李母,母亲,13700000012\n" +
			"王二,A0002,女,一年级(2)班,王母,母亲,13700000022\n" +
			"赵三,A0003,女,二年级(1)班,赵母,母亲,13700000032\n" +
			"新同学,A0009,男,一年级(1)班,新母,母亲,13700000092\n"
		before := primaries()
		var res importResult
		e.upload(w.tokP, importMutation, "roster.csv", []byte(good+"坏行,A0010,男,一年级(9)班,某父,父亲,13700000101\n")).ok(t).
			decode(t, "importRoster", &res)
		if res.State != "failed" {
			t.Fatalf("a file with a bad row: %+v", res)
		}
		if after := primaries(); !reflect.DeepEqual(after, before) {
			t.Errorf("a file with a bad row changed the guardians: %v → %v", before, after)
		}

		e.upload(w.tokP, importMutation, "roster.csv", []byte(good)).ok(t).decode(t, "importRoster", &res)
		if res.State != "done" || res.Created != 1 || res.Updated != 3 || res.GuardiansCreated != 3 {
			t.Fatalf("import: %+v", res)
		}
		want := map[string][2]any{
			"A0001": {"13700000012", 2}, // 李母, new: 李父 was not the primary contact
			"A0002": {"13800000002", 2}, // 王父 stays it
			"A0003": {"13700000032", 2}, // 赵母, stored
			"A0009": {"13700000092", 1},
		}
		got := primaries()
		for number, w := range want {
			if got[number] != w {
				t.Errorf("%s: primary contact %v of %v guardians, want %v of %v", number, got[number][0], got[number][1], w[0], w[1])
			}
		}
	})
}
