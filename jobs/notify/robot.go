package notify

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"time"
)

// Robots posts to IM group robots: WeCom (企业微信), DingTalk (钉钉), Feishu (飞书), or a generic JSON webhook.
type Robots struct {
	HTTP *http.Client // nil: a client with a 30 s timeout
	Now  func() time.Time
}

func (Robots) Name() string { return ChannelRobot }

func (r Robots) Deliver(ctx context.Context, d Payload) error {
	if d.Robot == nil || d.Robot.URL == "" {
		return permanent("the robot no longer exists")
	}
	now := time.Now()
	if r.Now != nil {
		now = r.Now()
	}
	target, body, err := RobotRequest(*d.Robot, d, now)
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, target, bytes.NewReader(body))
	if err != nil {
		return permanent("robot URL: %v", err)
	}
	req.Header.Set("Content-Type", "application/json; charset=utf-8")
	hc := r.HTTP
	if hc == nil {
		hc = &http.Client{Timeout: 30 * time.Second}
	}
	res, err := hc.Do(req)
	if err != nil {
		return fmt.Errorf("%s robot: %w", d.Robot.Kind, redactURL(err))
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(io.LimitReader(res.Body, 64<<10))
	if res.StatusCode/100 != 2 {
		return fmt.Errorf("%s robot: HTTP %d: %s", d.Robot.Kind, res.StatusCode, snippet(raw))
	}
	return robotAnswer(d.Robot.Kind, raw)
}

// robotAnswer reads the error code the IM platforms return with HTTP 200.
func robotAnswer(kind string, raw []byte) error {
	var ans struct {
		ErrCode    *int   `json:"errcode"` // WeCom, DingTalk
		ErrMsg     string `json:"errmsg"`
		Code       *int   `json:"code"` // Feishu
		Msg        string `json:"msg"`
		StatusCode *int   `json:"StatusCode"` // older Feishu answers
	}
	if kind == "generic" || json.Unmarshal(raw, &ans) != nil {
		return nil
	}
	switch {
	case ans.ErrCode != nil && *ans.ErrCode != 0:
		return fmt.Errorf("%s robot: errcode %d: %s", kind, *ans.ErrCode, ans.ErrMsg)
	case ans.Code != nil && *ans.Code != 0:
		return fmt.Errorf("%s robot: code %d: %s", kind, *ans.Code, ans.Msg)
	case ans.StatusCode != nil && *ans.StatusCode != 0:
		return fmt.Errorf("%s robot: StatusCode %d", kind, *ans.StatusCode)
	}
	return nil
}

// RobotRequest builds the URL and JSON body for a robot of each kind:
//
//	wecom:    {"msgtype":"text","text":{"content":"…"}}
//	dingtalk: {"msgtype":"text","text":{"content":"…"}}, signed with &timestamp=<ms>&sign=<base64 HMAC-SHA256
//	          of "<timestamp>\n<secret>" keyed by the secret> when a secret is set
//	feishu:   {"msg_type":"text","content":{"text":"…"}}, plus "timestamp" (s) and "sign" (base64 HMAC-SHA256
//	          of an empty message keyed by "<timestamp>\n<secret>") when a secret is set
//	generic:  {"subject":"…","body":"…","text":"…","locale":"…","deliveryId":n,"sentAt":"…"}
func RobotRequest(rb Robot, d Payload, now time.Time) (string, []byte, error) {
	text := d.Subject + "\n" + d.Body
	var msg any
	target := rb.URL
	switch rb.Kind {
	case "wecom":
		msg = map[string]any{"msgtype": "text", "text": map[string]any{"content": text}}
	case "dingtalk":
		msg = map[string]any{"msgtype": "text", "text": map[string]any{"content": text}}
		if rb.Secret != "" {
			ts := strconv.FormatInt(now.UnixMilli(), 10)
			u, err := url.Parse(rb.URL)
			if err != nil {
				return "", nil, permanent("robot URL: %v", err)
			}
			q := u.Query()
			q.Set("timestamp", ts)
			q.Set("sign", DingTalkSign(ts, rb.Secret))
			u.RawQuery = q.Encode()
			target = u.String()
		}
	case "feishu":
		m := map[string]any{"msg_type": "text", "content": map[string]any{"text": text}}
		if rb.Secret != "" {
			ts := strconv.FormatInt(now.Unix(), 10)
			m["timestamp"], m["sign"] = ts, FeishuSign(ts, rb.Secret)
		}
		msg = m
	case "generic":
		msg = map[string]any{"subject": d.Subject, "body": d.Body, "text": text, "locale": d.Locale,
			"deliveryId": d.DeliveryID, "sentAt": now.UTC().Format(time.RFC3339)}
	default:
		return "", nil, permanent("unknown robot kind %q", rb.Kind)
	}
	body, err := json.Marshal(msg)
	return target, body, err
}

// DingTalkSign is DingTalk's 加签: base64(HMAC-SHA256(key=secret, "<timestamp ms>\n<secret>")).
func DingTalkSign(timestamp, secret string) string {
	h := hmac.New(sha256.New, []byte(secret))
	h.Write([]byte(timestamp + "\n" + secret))
	return base64.StdEncoding.EncodeToString(h.Sum(nil))
}

// FeishuSign is Feishu's 签名校验: base64(HMAC-SHA256(key="<timestamp s>\n<secret>", empty message)).
func FeishuSign(timestamp, secret string) string {
	h := hmac.New(sha256.New, []byte(timestamp+"\n"+secret))
	return base64.StdEncoding.EncodeToString(h.Sum(nil))
}

// redactURL drops the URL (which carries the robot's key) from an http.Client error.
func redactURL(err error) error {
	if ue, ok := err.(*url.Error); ok {
		return fmt.Errorf("%s: %w", ue.Op, ue.Err)
	}
	return err
}

func snippet(b []byte) string {
	if len(b) > 200 {
		return string(b[:200]) + "…"
	}
	return string(b)
}
