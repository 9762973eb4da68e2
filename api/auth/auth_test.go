package auth

import (
	"bytes"
	"strings"
	"testing"
)

func TestPasswordHash(t *testing.T) {
	h, err := HashPassword("s3cret-passw0rd")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=65536,t=3,p=2$") {
		t.Errorf("hash %q is not argon2id PHC", h)
	}
	if !VerifyPassword(h, "s3cret-passw0rd") || VerifyPassword(h, "s3cret-passw0rD") || VerifyPassword(h, "") {
		t.Error("verify accepts the wrong password or rejects the right one")
	}
	h2, _ := HashPassword("s3cret-passw0rd")
	if h == h2 {
		t.Error("same hash twice: no salt")
	}
	for _, bad := range []string{"", "plain", "$argon2id$v=19$m=1,t=1,p=1$$", "$bcrypt$x$y$z$w"} {
		if VerifyPassword(bad, "") {
			t.Errorf("malformed hash %q verified", bad)
		}
	}
}

func TestPasswordStrength(t *testing.T) {
	for pw, ok := range map[string]bool{"short1": false, "onlyletters": false, "1234567890": false, "good-secret-9": true, "teacher.li1": false} {
		err := CheckPasswordStrength("newPassword", pw, "teacher.li1")
		if (err == nil) != ok {
			t.Errorf("%q: err = %v", pw, err)
		}
	}
	if p := GeneratePassword(); CheckPasswordStrength("p", p, "x") != nil {
		t.Errorf("generated password %q is too weak", p)
	}
}

func TestTokens(t *testing.T) {
	a, ha := NewToken(SessionPrefix)
	b, _ := NewToken(SessionPrefix)
	if a == b || !strings.HasPrefix(a, SessionPrefix) || len(a) < 40 {
		t.Errorf("tokens %q %q", a, b)
	}
	if !bytes.Equal(ha, HashToken(a)) || bytes.Equal(ha, HashToken(b)) || bytes.Contains(ha, []byte(a)) {
		t.Error("token hash is not a stable one-way function of the token")
	}
}
