package schema

import (
	"errors"
	"fmt"
	"regexp"
	"time"
	"unicode/utf8"
)

func validTimezone(s string) error {
	if _, err := time.LoadLocation(s); err != nil || s == "" || s == "Local" {
		return errors.New("unknown time zone (use an IANA name such as Asia/Shanghai)")
	}
	return nil
}

var loginRE = regexp.MustCompile(`^[a-z0-9][a-z0-9._@-]{1,63}$`)

func validLogin(s string) error {
	if !loginRE.MatchString(s) {
		return errors.New("use 2-64 lower-case letters, digits, '.', '_', '-' or '@'")
	}
	return nil
}

// Mainland mobile (11 digits starting with 1) or a landline with area code, optionally +86.
var phoneRE = regexp.MustCompile(`^(\+86)?(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$`)

func validPhone(s string) error {
	if s != "" && !phoneRE.MatchString(s) {
		return errors.New("not a valid phone number")
	}
	return nil
}

func validDate(s string) error {
	if _, err := time.Parse(time.DateOnly, s); err != nil {
		return errors.New("use a date as YYYY-MM-DD")
	}
	return nil
}

func validClock(s string) error {
	if _, err := time.Parse("15:04", s); err != nil || len(s) != 5 {
		return errors.New("use a time of day as HH:MM (24-hour)")
	}
	return nil
}

// maxChars bounds a text people write (names, notes, reasons) in characters: ent's MaxLen counts bytes,
// and a Chinese character is three, so MaxLen(64) would hold a school name of only 21 characters.
func maxChars(n int) func(string) error {
	return func(s string) error {
		if utf8.RuneCountInString(s) > n {
			return fmt.Errorf("at most %d characters", n)
		}
		return nil
	}
}

// validAbsenceRate refuses a rate above 0 (off) and below 0.5 %: the rate is a percent, and such a value is
// almost always a share typed as a fraction (0.1 meant as 10 %), which would open an alert for nearly every
// pupil off sick.
func validAbsenceRate(pct float64) error {
	if pct > 0 && pct < 0.5 {
		return errors.New("a percent of the pupils: at least 0.5 (10 for 10 %), or 0 to turn the alert off")
	}
	return nil
}
