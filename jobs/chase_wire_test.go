package jobs_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/campushealth/campushealth/ent/authz"
	"github.com/campushealth/campushealth/ent/chaselog"
	"github.com/campushealth/campushealth/ent/database/dbtest"
	"github.com/campushealth/campushealth/ent/delivery"
	"github.com/campushealth/campushealth/ent/notification"
	"github.com/campushealth/campushealth/ent/privacy"
	"github.com/campushealth/campushealth/ent/tenant"
	"github.com/campushealth/campushealth/ent/viewer"
	"github.com/campushealth/campushealth/jobs"
	"github.com/campushealth/campushealth/jobs/chase"
	"github.com/campushealth/campushealth/jobs/notify"
)

// TestChaseThroughNotifications: the chase finder and step handler as the worker wires them, with the
// real notification service — the class teacher gets an in-app reminder rendered from the zh-CN
// template, the chase log points at it, and a retried step neither notifies nor logs again.
func TestChaseThroughNotifications(t *testing.T) {
	db := dbtest.SQLite(t)
	c := db.Client
	rdb := dbtest.MiniRedis(t)
	ctx := viewer.NewContext(context.Background(), viewer.System("test"))
	d := c.Tenant.Create().SetName("区教育局").SetKind(tenant.KindDistrict).SaveX(ctx)
	s := c.Tenant.Create().SetName("实验小学").SetKind(tenant.KindPrimarySchool).SetParent(d).SaveX(ctx)
	cl := c.Class.Create().SetTenantID(s.ID).SetName("一(1)班").SaveX(ctx)
	u := c.User.Create().SetTenantID(s.ID).SetLogin("teacher").SetDisplayName("陈老师").SetRole(authz.ClassTeacher).SetPasswordHash("x").SaveX(ctx)
	c.Assignment.Create().SetTenantID(s.ID).SetUserID(u.ID).SetRole(authz.ClassTeacher).SetNodeType(authz.NodeClass).
		SetNodeID(cl.ID).SetValidFrom(sh(monday, "00:00").AddDate(0, 0, -7)).ExecX(ctx)
	robot := c.RobotWebhook.Create().SetTenantID(s.ID).SetName("实验小学防控群").SetKind("wecom").
		SetURL("https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k").SaveX(ctx)
	svc, err := notify.New(c, rdb, notify.Options{})
	if err != nil {
		t.Fatal(err)
	}
	chaser := &jobs.Chaser{Client: c, Notify: svc}
	now := sh(monday, "08:45") // T-15 for the 09:00 morning deadline
	due, err := chaser.Due(context.Background(), now)
	if err != nil || len(due) != 1 || due[0].Task.Type() != chase.TaskType {
		t.Fatalf("due: %v, %v", due, err)
	}
	handler := chase.Handler(c, jobs.ChaseNotifier(c, svc), func() time.Time { return now })
	for range 2 { // the second run is asynq delivering the task again
		if err := handler.ProcessTask(context.Background(), due[0].Task); err != nil {
			t.Fatal(err)
		}
	}
	all := privacy.DecisionContext(context.Background(), privacy.Allow)
	notes := c.Notification.Query().Where(notification.RecipientID(u.ID)).AllX(all)
	if len(notes) != 1 || notes[0].Template != "chase.reminder" || !strings.Contains(notes[0].Body, "一(1)班") ||
		!strings.Contains(notes[0].Body, "09:00") {
		t.Fatalf("in-app reminders: %+v", notes)
	}
	posts := c.Delivery.Query().Where(delivery.RobotID(robot.ID)).AllX(all)
	if len(posts) != 1 || posts[0].Template != "chase.digest" || !strings.Contains(posts[0].Body, "一(1)班") {
		t.Errorf("the school's group robot: %+v (want one digest for the step, even when the step runs twice)", posts)
	}
	logs := c.ChaseLog.Query().Where(chaselog.ClassID(cl.ID)).AllX(all)
	if len(logs) != 1 || logs[0].Outcome != chaselog.OutcomeSent || !slices.Equal(logs[0].NotificationIds, []int{notes[0].ID}) {
		t.Errorf("chase log: %+v", logs)
	}
}
