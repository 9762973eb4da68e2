package api_test

import (
	"bytes"
	"mime/multipart"
	"net/http"
	"testing"

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
