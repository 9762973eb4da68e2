package roster

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/campushealth/campushealth/ent/types"
)

func TestParseCSV(t *testing.T) {
	t.Run("BOM, English headers in any case, template stars, blank lines", func(t *testing.T) {
		data := "\xEF\xBB\xBFName*,Student Number,GENDER,class,序号\n" +
			"张三,S001,男,高三（１）班,1\n" +
			",,,,\n" + // an empty row Excel leaves behind
			"\n" +
			"李四,S002,女,高三(2)班,2\n" +
			",,,,3\n" // only an ignored column: not a student
		rows, err := Parse("r.csv", []byte(data))
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) != 2 || rows[0].Line != 2 || rows[1].Line != 5 || rows[0].Class != "高三(1)班" || rows[1].Name != "李四" {
			t.Errorf("rows: %+v", rows)
		}
	})
	t.Run("tab-separated", func(t *testing.T) {
		rows, err := Parse("r.txt", []byte("姓名\t学籍号\t性别\t班级\n张三\tS001\t男\t高三(1)班\n"))
		if err != nil || len(rows) != 1 || rows[0].StudentNumber != "S001" {
			t.Errorf("rows %+v, %v", rows, err)
		}
	})
	for name, data := range map[string]string{
		"missing required columns": "姓名,性别,监护人电话\n张三,男,13800000001\n",
		"a column twice":           "姓名,学籍号,性别,班级,name\n张三,S001,男,高三(1)班,张三\n",
		"header only":              "姓名,学籍号,性别,班级\n",
		"empty":                    "",
		"old Excel":                "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1rest",
		"a NUL in a cell":          "姓名,学籍号,性别,班级\n张\x00三,S001,男,高三(1)班\n",
		"UTF-16 (Unicode text)":    "\xFF\xFEN\x00a\x00m\x00e\x00\n\x00",
	} {
		t.Run(name, func(t *testing.T) {
			_, err := Parse("r.csv", []byte(data))
			var in *types.InputError
			if !errors.As(err, &in) || in.Field != "file" {
				t.Fatalf("got %v, want an input error on file", err)
			}
			if name == "missing required columns" && !(strings.Contains(in.Message, "学籍号") && strings.Contains(in.Message, "班级")) {
				t.Errorf("message does not name the missing columns: %s", in.Message)
			}
			if name == "a NUL in a cell" && !strings.Contains(in.Message, "line 2 holds a NUL") {
				t.Errorf("message does not name the line: %s", in.Message)
			}
		})
	}
}

func TestFieldFormats(t *testing.T) {
	for in, want := range map[string]string{
		"2010-03-05": "2010-03-05", "2010/3/5": "2010-03-05", "2010.3.5": "2010-03-05", "2010年3月5日": "2010-03-05",
		"20100305": "2010-03-05", "2010-02-30": "", "2010-3": "", "3/5/2010": "", "1899-12-31": "",
		time.Now().AddDate(0, 0, 3).Format(time.DateOnly): "",
	} {
		got, err := parseDate(in, time.Now())
		if want == "" && err == nil || want != "" && (err != nil || got.Format(time.DateOnly) != want) {
			t.Errorf("parseDate(%q) = %v, %v; want %q", in, got, err, want)
		}
	}
	if classKey("高三（1）班") != classKey("高三 (1) 班") || classKey("高三(1)班") == classKey("高三(2)班") {
		t.Error("class names are not matched across widths and spaces")
	}
	if phoneKey("010-12345678") != phoneKey("01012345678") || phoneKey("+8613800000001") != phoneKey("13800000001") {
		t.Error("phones are not matched across formats")
	}
	for in, want := range map[string]bool{"是": true, "否": false, "Yes": true, "0": false, "住校": true, "走读": false} {
		if got, err := parseBool(in); err != nil || got != want {
			t.Errorf("parseBool(%q) = %v, %v", in, got, err)
		}
	}
	if _, err := parseGender("未知"); err == nil {
		t.Error("parseGender accepted 未知")
	}
}
