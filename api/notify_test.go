package api_test

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"
	"testing"
	"time"

	coderws "github.com/coder/websocket"
	"github.com/coder/websocket/wsjson"

	"github.com/campushealth/campushealth/ent/delivery"
	"github.com/campushealth/campushealth/jobs/notify"
)

var remind = map[string]any{"Class": "1班", "Session": "晨检", "Deadline": "08:30", "Date": "2026-11-23"}

func (e *env) notifyUsers(t *testing.T, tenantID int, key string, users ...int) {
	t.Helper()
	if _, err := e.notify.Send(context.Background(), notify.Message{TenantID: tenantID, UserIDs: users,
		Template: "chase.reminder", Data: remind, DedupeKey: key, Ref: "test"}); err != nil {
		t.Fatal(err)
	}
}

const listNotifications = `query($unread: Boolean) { notifications(unread: $unread) { totalCount edges { node { id subject recipientID readAt } } } unreadNotificationCount }`

type notificationList struct {
	TotalCount int
	Edges      []struct {
		Node struct {
			ID, Subject, RecipientID string
			ReadAt                   *time.Time
		}
	}
}

func TestNotificationsAreTheViewersOwn(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		w := e.newWorld()
		e.notifyUsers(t, w.A.ID, "k1", w.ta.ID, w.pa.ID)
		e.notifyUsers(t, w.A.ID, "k2", w.ta.ID)
		e.notifyUsers(t, w.B.ID, "k1", w.tb.ID)

		var mine notificationList
		r := e.gql(w.tok["a.teacher"], listNotifications, nil).ok(t)
		r.decode(t, "notifications", &mine)
		if mine.TotalCount != 2 {
			t.Fatalf("a.teacher sees %d notifications, want 2", mine.TotalCount)
		}
		for _, n := range mine.Edges {
			if n.Node.RecipientID != strconv.Itoa(w.ta.ID) || !strings.Contains(n.Node.Subject, "晨午检提醒") {
				t.Errorf("not hers: %+v", n.Node)
			}
		}
		var unread int
		r.decode(t, "unreadNotificationCount", &unread)
		if unread != 2 {
			t.Errorf("unread %d", unread)
		}
		// The principal's notification: not readable, not markable by the teacher.
		var theirs notificationList
		e.gql(w.tok["a.principal"], listNotifications, nil).ok(t).decode(t, "notifications", &theirs)
		if theirs.TotalCount != 1 {
			t.Fatalf("principal sees %d", theirs.TotalCount)
		}
		pid := theirs.Edges[0].Node.ID
		r = e.gql(w.tok["a.teacher"], `query($id: ID!) { node(id: $id) { id ... on Notification { subject } } }`, map[string]any{"id": pid})
		if string(r.Data["node"]) != "null" && r.Code() == "" {
			t.Errorf("a.teacher read the principal's notification: %s", r.Data["node"])
		}
		var n int
		e.gql(w.tok["a.teacher"], `mutation($ids: [ID!]) { markNotificationsRead(ids: $ids) }`, map[string]any{"ids": []string{pid}}).ok(t).
			decode(t, "markNotificationsRead", &n)
		if n != 0 {
			t.Errorf("a.teacher marked %d of the principal's notifications read", n)
		}
		// The platform admin (no user notifications of its own) and an API token see none.
		for _, tok := range []string{w.tok["root"], w.apiA} {
			var none notificationList
			e.gql(tok, listNotifications, nil).ok(t).decode(t, "notifications", &none)
			if tok == w.apiA && none.TotalCount != 0 {
				t.Errorf("an API token sees %d notifications", none.TotalCount)
			}
		}

		// Mark one read, then all.
		e.gql(w.tok["a.teacher"], `mutation($ids: [ID!]) { markNotificationsRead(ids: $ids) }`,
			map[string]any{"ids": []string{mine.Edges[0].Node.ID}}).ok(t).decode(t, "markNotificationsRead", &n)
		if n != 1 {
			t.Errorf("marked %d", n)
		}
		var still notificationList
		e.gql(w.tok["a.teacher"], listNotifications, map[string]any{"unread": true}).ok(t).decode(t, "notifications", &still)
		if still.TotalCount != 1 {
			t.Errorf("%d unread", still.TotalCount)
		}
		e.gql(w.tok["a.teacher"], `mutation { markNotificationsRead }`, nil).ok(t).decode(t, "markNotificationsRead", &n)
		if n != 1 {
			t.Errorf("mark all: %d", n)
		}
		e.gql(w.tok["a.principal"], listNotifications, map[string]any{"unread": true}).ok(t).decode(t, "notifications", &theirs)
		if theirs.TotalCount != 1 {
			t.Errorf("the teacher's 'mark all' reached the principal's")
		}
	})
}

func TestNotificationPreferencesOverGraphQL(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		w := e.newWorld()
		const q = `{ notificationPreferences { channels locale email mobile quietStart quietEnd saved } }`
		type prefs struct {
			Channels                            []string
			Locale                              string
			Email, Mobile, QuietStart, QuietEnd *string
			Saved                               bool
		}
		var p prefs
		e.gql(w.tok["a.teacher"], q, nil).ok(t).decode(t, "notificationPreferences", &p)
		if p.Saved || p.Locale != "zh-CN" || len(p.Channels) != 0 {
			t.Errorf("defaults: %+v", p)
		}
		const upd = `mutation($i: UpdateNotificationPreferencesInput!) { updateNotificationPreferences(input: $i) { channels locale email saved } }`
		r := e.gql(w.tok["a.teacher"], upd, map[string]any{"i": map[string]any{"channels": []string{"EMAIL"}}})
		if r.Code() != "BAD_USER_INPUT" {
			t.Errorf("e-mail without an address: %+v", r.Errors)
		}
		r = e.gql(w.tok["a.teacher"], upd, map[string]any{"i": map[string]any{"locale": "fr"}})
		if r.Code() != "BAD_USER_INPUT" {
			t.Errorf("locale fr: %+v", r.Errors)
		}
		e.gql(w.tok["a.teacher"], upd, map[string]any{"i": map[string]any{"channels": []string{"EMAIL", "SMS"},
			"email": "ta@school.example", "locale": "en", "quietStart": "22:00", "quietEnd": "07:00"}}).ok(t).
			decode(t, "updateNotificationPreferences", &p)
		if !p.Saved || p.Locale != "en" || len(p.Channels) != 2 {
			t.Errorf("saved: %+v", p)
		}
		// Another user's preferences are untouched; the next message is in English.
		e.gql(w.tok["a.principal"], q, nil).ok(t).decode(t, "notificationPreferences", &p)
		if p.Saved {
			t.Errorf("the principal's preferences changed")
		}
		e.notifyUsers(t, w.A.ID, "pref", w.ta.ID)
		var mine notificationList
		e.gql(w.tok["a.teacher"], listNotifications, nil).ok(t).decode(t, "notifications", &mine)
		if mine.TotalCount != 1 || !strings.HasPrefix(mine.Edges[0].Node.Subject, "[Check reminder]") {
			t.Errorf("%+v", mine)
		}
	})
}

func TestRobotWebhooksAndDeliveriesByTenant(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		w := e.newWorld()
		const create = `mutation($t: ID, $i: CreateRobotWebhookInput!) { createRobotWebhook(tenantID: $t, input: $i) { id name kind urlHint enabled } }`
		in := map[string]any{"name": "全校群", "kind": "dingtalk", "url": "https://oapi.dingtalk.com/robot/send?access_token=SECRET-TOKEN", "secret": "SECxyz"}
		r := e.gql(w.tok["a.principal"], create, map[string]any{"i": in}).ok(t)
		if strings.Contains(string(r.Data["createRobotWebhook"]), "SECRET-TOKEN") || strings.Contains(string(r.Data["createRobotWebhook"]), "SECxyz") {
			t.Errorf("the URL or secret came back: %s", r.Data["createRobotWebhook"])
		}
		var robot struct{ ID, URLHint string }
		r.decode(t, "createRobotWebhook", &robot)
		if robot.URLHint != "https://oapi.dingtalk.com" {
			t.Errorf("urlHint %q", robot.URLHint)
		}
		// No field returns the URL.
		if r := e.gql(w.tok["a.principal"], `{ robotWebhooks { edges { node { url } } } }`, nil); len(r.Errors) == 0 {
			t.Errorf("robotWebhooks exposes url")
		}
		// A teacher may not add one; a bad URL is bad input; the district adds one for its school.
		if r := e.gql(w.tok["a.teacher"], create, map[string]any{"i": in}); r.Code() != "FORBIDDEN" {
			t.Errorf("teacher: %+v", r.Errors)
		}
		bad := map[string]any{"name": "x", "kind": "wecom", "url": "ftp://x"}
		if r := e.gql(w.tok["a.principal"], create, map[string]any{"i": bad}); r.Code() != "BAD_USER_INPUT" {
			t.Errorf("bad url: %+v", r.Errors)
		}
		in2 := map[string]any{"name": "教育局群", "kind": "wecom", "url": "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=K2"}
		e.gql(w.tok["d1.admin"], create, map[string]any{"t": w.A.ID, "i": in2}).ok(t)
		if r := e.gql(w.tok["d2.admin"], create, map[string]any{"t": w.A.ID, "i": in2}); r.Code() != "FORBIDDEN" {
			t.Errorf("another district: %+v", r.Errors)
		}
		count := func(tok string) int {
			var c struct{ TotalCount int }
			e.gql(tok, `{ robotWebhooks { totalCount } }`, nil).ok(t).decode(t, "robotWebhooks", &c)
			return c.TotalCount
		}
		if a, b, d2 := count(w.tok["a.principal"]), count(w.tok["b.principal"]), count(w.tok["d2.admin"]); a != 2 || b != 0 || d2 != 0 {
			t.Errorf("robots seen: A %d, B %d, district 2 %d", a, b, d2)
		}
		// B cannot change or delete A's robot.
		if r := e.gql(w.tok["b.principal"], `mutation($id: ID!) { deleteRobotWebhook(id: $id) }`, map[string]any{"id": robot.ID}); r.Code() == "" {
			t.Errorf("B deleted A's robot")
		}
		e.gql(w.tok["a.principal"], `mutation($id: ID!) { updateRobotWebhook(id: $id, input: {enabled: false, url: "https://oapi.dingtalk.com/robot/send?access_token=NEW"}) { enabled } }`,
			map[string]any{"id": robot.ID}).ok(t)
		// Nor does the audit log keep them.
		audit := e.gql(w.tok["a.principal"], `{ auditLogs(first: 100) { edges { node { entityType changes { field old new } } } } }`, nil).ok(t)
		if raw := string(audit.Data["auditLogs"]); !strings.Contains(raw, "RobotWebhook") ||
			strings.Contains(raw, "SECRET-TOKEN") || strings.Contains(raw, "SECxyz") || strings.Contains(raw, "access_token=NEW") {
			t.Errorf("audit log: %s", raw)
		}

		// Deliveries, failures included, are shown to the tenant's admins only.
		e.notifyUsers(t, w.A.ID, "d1", w.ta.ID) // no phone, no preferences: in-app only
		must(e.client.User.UpdateOne(w.ta).SetPhone("13800000009").Save(system()))
		e.notifyUsers(t, w.A.ID, "d2", w.ta.ID)
		must(e.client.Delivery.Update().SetStatus(delivery.StatusFailed).SetLastError("gateway said no").SetAttempts(9).Save(system()))
		const deliveries = `{ deliveries(where: {status: failed}) { totalCount edges { node { channel address status attempts lastError ref } } } }`
		var ds struct {
			TotalCount int
			Edges      []struct {
				Node struct{ Channel, Address, Status, LastError string }
			}
		}
		e.gql(w.tok["a.principal"], deliveries, nil).ok(t).decode(t, "deliveries", &ds)
		if ds.TotalCount != 1 || ds.Edges[0].Node.LastError != "gateway said no" || ds.Edges[0].Node.Channel != "sms" {
			t.Errorf("principal: %+v", ds)
		}
		e.gql(w.tok["d1.admin"], deliveries, nil).ok(t).decode(t, "deliveries", &ds)
		if ds.TotalCount != 1 {
			t.Errorf("district 1: %d", ds.TotalCount)
		}
		for _, who := range []string{"b.principal", "d2.admin"} {
			e.gql(w.tok[who], deliveries, nil).ok(t).decode(t, "deliveries", &ds)
			if ds.TotalCount != 0 {
				t.Errorf("%s sees %d of A's deliveries", who, ds.TotalCount)
			}
		}
		if r := e.gql(w.tok["a.teacher"], deliveries, nil); r.Code() != "FORBIDDEN" {
			t.Errorf("teacher: %+v", r.Errors)
		}
	})
}

// notificationAdded over a real websocket (graphql-transport-ws): the subscriber gets their own
// notifications, never anyone else's.
func TestNotificationAddedSubscription(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		w := e.newWorld()
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		if err := e.notify.Hub().Ready(ctx); err != nil {
			t.Fatal(err)
		}
		url := "ws" + strings.TrimPrefix(e.srv.URL, "http") + "/graphql"
		c, _, err := coderws.Dial(ctx, url, &coderws.DialOptions{Subprotocols: []string{"graphql-transport-ws"}})
		if err != nil {
			t.Fatal(err)
		}
		defer c.CloseNow()
		type msg struct {
			ID      string          `json:"id,omitempty"`
			Type    string          `json:"type"`
			Payload json.RawMessage `json:"payload,omitempty"`
		}
		write := func(m any) {
			if err := wsjson.Write(ctx, c, m); err != nil {
				t.Fatal(err)
			}
		}
		read := func(d time.Duration) (msg, bool) {
			rctx, rcancel := context.WithTimeout(ctx, d)
			defer rcancel()
			for {
				var m msg
				if err := wsjson.Read(rctx, c, &m); err != nil {
					return msg{}, false
				}
				if m.Type != "ping" && m.Type != "pong" && m.Type != "ka" {
					return m, true
				}
			}
		}
		write(map[string]any{"type": "connection_init", "payload": map[string]any{"authToken": w.tok["a.teacher"]}})
		if m, ok := read(5 * time.Second); !ok || m.Type != "connection_ack" {
			t.Fatalf("no ack: %+v", m)
		}
		write(map[string]any{"id": "1", "type": "subscribe", "payload": map[string]any{
			"query": `subscription { notificationAdded { id subject recipientID } }`}})
		time.Sleep(200 * time.Millisecond) // the resolver subscribes to the hub

		e.notifyUsers(t, w.A.ID, "p-only", w.pa.ID)        // not hers
		e.notifyUsers(t, w.A.ID, "both", w.pa.ID, w.ta.ID) // hers
		m, ok := read(5 * time.Second)
		if !ok || m.Type != "next" || m.ID != "1" {
			t.Fatalf("no notification: %+v", m)
		}
		var p struct {
			Data struct {
				NotificationAdded struct{ ID, Subject, RecipientID string }
			}
		}
		if err := json.Unmarshal(m.Payload, &p); err != nil {
			t.Fatal(err)
		}
		if p.Data.NotificationAdded.RecipientID != strconv.Itoa(w.ta.ID) || !strings.Contains(p.Data.NotificationAdded.Subject, "晨午检提醒") {
			t.Errorf("got %+v", p.Data.NotificationAdded)
		}
		if m, ok := read(500 * time.Millisecond); ok {
			t.Errorf("an extra message: %+v", m)
		}
		// Without credentials the websocket is refused.
		c2, _, err := coderws.Dial(ctx, url, &coderws.DialOptions{Subprotocols: []string{"graphql-transport-ws"}})
		if err != nil {
			t.Fatal(err)
		}
		defer c2.CloseNow()
		_ = wsjson.Write(ctx, c2, map[string]any{"type": "connection_init", "payload": map[string]any{}})
		var m2 msg
		rctx, rcancel := context.WithTimeout(ctx, 3*time.Second)
		defer rcancel()
		if err := wsjson.Read(rctx, c2, &m2); err == nil && m2.Type == "connection_ack" {
			t.Errorf("anonymous websocket acknowledged")
		}
	})
}
