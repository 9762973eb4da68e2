package notify

import (
	"context"
	"crypto/tls"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net"
	"net/http"
	"net/http/httptest"
	"net/mail"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	gosmtp "github.com/emersion/go-smtp"
)

func TestTemplatesRenderBothLocales(t *testing.T) {
	tm, err := LoadTemplates()
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"chase.reminder", "chase.escalation", "chase.digest", "report.compiled", "report.amended", "alert.opened", "alert.reported"} {
		if !contains(tm.Names(), name) {
			t.Errorf("template %s missing", name)
		}
	}
	data := map[string]any{"Class": "三年级2班", "Session": "晨检", "Deadline": "08:30", "Date": "2026-11-23"}
	zh, err := tm.Render("chase.reminder", "zh-CN", data)
	if err != nil {
		t.Fatal(err)
	}
	en, err := tm.Render("chase.reminder", "en", data)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(zh.Subject, "晨午检提醒") || !strings.Contains(zh.Body, "截止时间 08:30") {
		t.Errorf("zh-CN: %+v", zh)
	}
	if !strings.HasPrefix(en.Subject, "[Check reminder]") || !strings.Contains(en.Body, "the deadline is 08:30") {
		t.Errorf("en: %+v", en)
	}
	// Missing data is an error, never "<no value>"; an optional field may be left out.
	if _, err := tm.Render("chase.reminder", "en", map[string]any{"Class": "x"}); !errors.Is(err, ErrTemplate) {
		t.Errorf("missing data: %v", err)
	}
	if _, err := tm.Render("no.such", "en", nil); !errors.Is(err, ErrTemplate) || !strings.Contains(err.Error(), "does not exist") {
		t.Errorf("unknown template: %v", err)
	}
	r, err := tm.Render("alert.opened", "en", map[string]any{"Rule": "fever", "Scope": "Class 2", "Cases": 3})
	if err != nil || strings.Contains(r.Body, "Report it by") {
		t.Errorf("optional ReportBy: %v %+v", err, r)
	}
	r, err = tm.Render("chase.digest", "zh-CN", map[string]any{"Scope": "三年级", "Session": "午检", "Date": "2026-11-23",
		"Deadline": "14:30", "Missing": []string{"1班", "2班"}})
	if err != nil || !strings.Contains(r.Body, "- 1班\n- 2班") || !strings.Contains(r.Subject, "2 个未报") {
		t.Errorf("digest: %v %+v", err, r)
	}
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

// robotServer records what robots receive and answers like the IM platforms.
type robotServer struct {
	*httptest.Server
	mu   sync.Mutex
	reqs []*http.Request
	body [][]byte
	fail int    // answer 500 to this many requests first
	ans  string // the JSON answer on success
}

func newRobotServer(t *testing.T, ans string) *robotServer {
	rs := &robotServer{ans: ans}
	rs.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		rs.mu.Lock()
		rs.reqs, rs.body = append(rs.reqs, r), append(rs.body, b)
		fail := rs.fail > 0
		if fail {
			rs.fail--
		}
		rs.mu.Unlock()
		if fail {
			http.Error(w, "upstream unavailable", http.StatusServiceUnavailable)
			return
		}
		_, _ = io.WriteString(w, rs.ans)
	}))
	t.Cleanup(rs.Close)
	return rs
}

func (rs *robotServer) count() int {
	rs.mu.Lock()
	defer rs.mu.Unlock()
	return len(rs.body)
}

func TestRobotPayloadShapesAndSignatures(t *testing.T) {
	now := time.Date(2026, 11, 23, 8, 45, 0, 0, time.UTC)
	d := Payload{DeliveryID: 7, Subject: "【未报汇总】三年级", Body: "- 1班", Locale: "zh-CN"}
	text := d.Subject + "\n" + d.Body
	cases := []struct {
		kind, secret, answer string
		check                func(t *testing.T, r *http.Request, body map[string]any)
	}{
		{"wecom", "", `{"errcode":0,"errmsg":"ok"}`, func(t *testing.T, r *http.Request, m map[string]any) {
			if m["msgtype"] != "text" || m["text"].(map[string]any)["content"] != text || len(m) != 2 {
				t.Errorf("wecom body %v", m)
			}
		}},
		{"dingtalk", "SECabc", `{"errcode":0,"errmsg":"ok"}`, func(t *testing.T, r *http.Request, m map[string]any) {
			if m["msgtype"] != "text" || m["text"].(map[string]any)["content"] != text {
				t.Errorf("dingtalk body %v", m)
			}
			q := r.URL.Query()
			if q.Get("access_token") != "tok" || q.Get("timestamp") != strconv.FormatInt(now.UnixMilli(), 10) {
				t.Errorf("dingtalk query %v", q)
			}
			// Verify as DingTalk does: HMAC-SHA256 keyed by the secret over "timestamp\nsecret".
			if want := hmacB64("SECabc", q.Get("timestamp")+"\nSECabc"); q.Get("sign") != want {
				t.Errorf("dingtalk sign %q, want %q", q.Get("sign"), want)
			}
		}},
		{"feishu", "fsecret", `{"code":0,"msg":"success"}`, func(t *testing.T, r *http.Request, m map[string]any) {
			if m["msg_type"] != "text" || m["content"].(map[string]any)["text"] != text {
				t.Errorf("feishu body %v", m)
			}
			ts := strconv.FormatInt(now.Unix(), 10)
			// Verify as Feishu does: HMAC-SHA256 keyed by "timestamp\nsecret" over an empty message.
			if m["timestamp"] != ts || m["sign"] != hmacB64(ts+"\nfsecret", "") {
				t.Errorf("feishu signature %v %v", m["timestamp"], m["sign"])
			}
		}},
		{"generic", "", `ok`, func(t *testing.T, r *http.Request, m map[string]any) {
			if m["subject"] != d.Subject || m["body"] != d.Body || m["deliveryId"] != float64(7) || m["locale"] != "zh-CN" {
				t.Errorf("generic body %v", m)
			}
		}},
	}
	for _, c := range cases {
		t.Run(c.kind, func(t *testing.T) {
			rs := newRobotServer(t, c.answer)
			robots := Robots{Now: func() time.Time { return now }}
			p := d
			p.Robot = &Robot{Kind: c.kind, URL: rs.URL + "/send?access_token=tok", Secret: c.secret}
			if err := robots.Deliver(context.Background(), p); err != nil {
				t.Fatal(err)
			}
			if rs.count() != 1 {
				t.Fatalf("%d requests", rs.count())
			}
			r := rs.reqs[0]
			if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
				t.Errorf("content type %q", ct)
			}
			var m map[string]any
			if err := json.Unmarshal(rs.body[0], &m); err != nil {
				t.Fatal(err)
			}
			c.check(t, r, m)
		})
	}
	t.Run("platform errors are failures", func(t *testing.T) {
		rs := newRobotServer(t, `{"errcode":310000,"errmsg":"sign not match"}`)
		err := Robots{}.Deliver(context.Background(), Payload{Subject: "s", Body: "b",
			Robot: &Robot{Kind: "dingtalk", URL: rs.URL + "?access_token=secret-token"}})
		if err == nil || !strings.Contains(err.Error(), "310000") {
			t.Errorf("got %v", err)
		}
		rs.fail = 1
		err = Robots{}.Deliver(context.Background(), Payload{Robot: &Robot{Kind: "feishu", URL: rs.URL + "/hook/secret-token"}})
		if err == nil || !strings.Contains(err.Error(), "503") {
			t.Errorf("got %v", err)
		}
	})
	t.Run("no URL in transport errors", func(t *testing.T) {
		err := Robots{}.Deliver(context.Background(), Payload{Robot: &Robot{Kind: "wecom", URL: "http://127.0.0.1:1/cgi-bin/webhook/send?key=KEY123"}})
		if err == nil || strings.Contains(err.Error(), "KEY123") {
			t.Errorf("got %v", err)
		}
	})
}

// smtpServer is an in-process SMTP server (github.com/emersion/go-smtp) offering STARTTLS.
type smtpServer struct {
	addr string
	tls  *tls.Config // for the client: trusts the server's certificate
	mu   sync.Mutex
	msgs []smtpMsg
	fail bool
}

type smtpMsg struct {
	from string
	to   []string
	data []byte
	tls  bool
}

func newSMTPServer(t *testing.T) *smtpServer {
	// Borrow httptest's localhost certificate.
	hts := httptest.NewTLSServer(http.NotFoundHandler())
	cert := hts.TLS.Certificates
	roots := hts.Client().Transport.(*http.Transport).TLSClientConfig.RootCAs
	hts.Close()
	s := &smtpServer{tls: &tls.Config{RootCAs: roots, ServerName: "example.com"}}
	srv := gosmtp.NewServer(backend{s})
	srv.Domain = "localhost"
	srv.TLSConfig = &tls.Config{Certificates: cert}
	srv.AllowInsecureAuth = false
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s.addr = ln.Addr().String()
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { srv.Close() })
	return s
}

func (s *smtpServer) messages() []smtpMsg {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]smtpMsg(nil), s.msgs...)
}

type backend struct{ s *smtpServer }

func (b backend) NewSession(c *gosmtp.Conn) (gosmtp.Session, error) {
	return &session{s: b.s, conn: c}, nil
}

type session struct {
	s    *smtpServer
	conn *gosmtp.Conn
	msg  smtpMsg
}

func (x *session) Reset()        { x.msg = smtpMsg{} }
func (x *session) Logout() error { return nil }
func (x *session) Mail(from string, _ *gosmtp.MailOptions) error {
	x.msg.from = from
	return nil
}
func (x *session) Rcpt(to string, _ *gosmtp.RcptOptions) error {
	x.msg.to = append(x.msg.to, to)
	return nil
}
func (x *session) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	x.s.mu.Lock()
	defer x.s.mu.Unlock()
	if x.s.fail {
		return &gosmtp.SMTPError{Code: 451, Message: "try again later"}
	}
	_, isTLS := x.conn.TLSConnectionState()
	x.msg.data, x.msg.tls = b, isTLS
	x.s.msgs = append(x.s.msgs, x.msg)
	return nil
}

// parseEmail decodes a message as a mail client would: headers, RFC 2047 subject, base64 body.
func parseEmail(t *testing.T, raw []byte) (*mail.Message, string, string) {
	t.Helper()
	m, err := mail.ReadMessage(strings.NewReader(string(raw)))
	if err != nil {
		t.Fatal(err)
	}
	subj, err := new(mime.WordDecoder).DecodeHeader(m.Header.Get("Subject"))
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(m.Body)
	body, err := base64.StdEncoding.DecodeString(strings.ReplaceAll(strings.TrimSpace(string(b)), "\r\n", ""))
	if err != nil {
		t.Fatalf("body is not base64: %v", err)
	}
	return m, subj, string(body)
}

func TestEmailOverSTARTTLS(t *testing.T) {
	srv := newSMTPServer(t)
	e := Email{Config: SMTPConfig{Addr: srv.addr, From: "Campus Health <noreply@school.example>", TLSConfig: srv.tls, RequireTLS: true}}
	err := e.Deliver(context.Background(), Payload{DeliveryID: 42, To: "teacher@school.example", Locale: "en",
		Subject: "[Check reminder] Class 3-2 morning", Body: "Please report. 请上报。"})
	if err != nil {
		t.Fatal(err)
	}
	msgs := srv.messages()
	if len(msgs) != 1 {
		t.Fatalf("%d messages", len(msgs))
	}
	got := msgs[0]
	if !got.tls || got.from != "noreply@school.example" || len(got.to) != 1 || got.to[0] != "teacher@school.example" {
		t.Errorf("envelope %+v", got)
	}
	m, subj, body := parseEmail(t, got.data)
	if subj != "[Check reminder] Class 3-2 morning" || body != "Please report. 请上报。" {
		t.Errorf("subject %q body %q", subj, body)
	}
	if m.Header.Get("Content-Type") != "text/plain; charset=UTF-8" || m.Header.Get("Content-Language") != "en" ||
		!strings.Contains(m.Header.Get("Message-ID"), "delivery-42.") || m.Header.Get("To") != "<teacher@school.example>" {
		t.Errorf("headers %v", m.Header)
	}
	if from, _ := mail.ParseAddress(m.Header.Get("From")); from == nil || from.Name != "Campus Health" {
		t.Errorf("From %q", m.Header.Get("From"))
	}

	// Not configured, or no address: permanent failures, not retried.
	if err := (Email{}).Deliver(context.Background(), Payload{To: "x@y.z"}); !errors.Is(err, ErrPermanent) {
		t.Errorf("unconfigured: %v", err)
	}
	if err := e.Deliver(context.Background(), Payload{}); !errors.Is(err, ErrPermanent) {
		t.Errorf("no address: %v", err)
	}
	// A server refusing the message is a temporary failure.
	srv.mu.Lock()
	srv.fail = true
	srv.mu.Unlock()
	if err := e.Deliver(context.Background(), Payload{To: "a@b.c", Subject: "s", Body: "b"}); err == nil || errors.Is(err, ErrPermanent) {
		t.Errorf("451: %v", err)
	}
}

func hmacB64(key, msg string) string {
	return base64.StdEncoding.EncodeToString(hmacSum(key, msg))
}
