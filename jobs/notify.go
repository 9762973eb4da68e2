package jobs

import (
	"github.com/campushealth/campushealth/jobs/notify"
)

// HandleNotify lets the worker deliver notifications (e-mail, SMS, IM robots) and run the sweeper.
func (w *Worker) HandleNotify(s *notify.Service) {
	s.Register(w.mux)
}

// ScheduleNotifySweep queues, every minute, the deliveries whose task never reached Redis.
func (s *Scheduler) ScheduleNotifySweep() error {
	_, err := s.s.Register("@every 1m", notify.SweepTask())
	return err
}
