// Package auth signs people and apps in: argon2id passwords, session and API tokens (stored as SHA-256),
// login rate limits, and the viewer built for each request.
package auth

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"unicode"

	"golang.org/x/crypto/argon2"

	"github.com/campushealth/campushealth/ent/types"
)

// argon2id parameters (RFC 9106's second recommended option, with less memory for 2-core servers).
const (
	argonTime    = 3
	argonMemory  = 64 * 1024 // KiB
	argonThreads = 2
	argonKeyLen  = 32
	saltLen      = 16
)

// HashPassword returns a PHC-formatted argon2id hash.
func HashPassword(password string) (string, error) {
	salt := make([]byte, saltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	key := argon2.IDKey([]byte(password), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s",
		argon2.Version, argonMemory, argonTime, argonThreads, b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// VerifyPassword reports whether password matches a hash made by HashPassword (with any parameters).
func VerifyPassword(hash, password string) bool {
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false
	}
	var version int
	var m uint32
	var t uint32
	var p uint8
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return false
	}
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &m, &t, &p); err != nil {
		return false
	}
	b64 := base64.RawStdEncoding
	salt, err1 := b64.DecodeString(parts[4])
	want, err2 := b64.DecodeString(parts[5])
	if err1 != nil || err2 != nil || len(want) == 0 {
		return false
	}
	got := argon2.IDKey([]byte(password), salt, t, m, p, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1
}

// dummyHash is verified when a login is unknown, so both paths cost the same time.
var dummyHash, _ = HashPassword("campushealth-dummy-password")

// ErrWeakPassword explains the password rule.
var ErrWeakPassword = errors.New("use at least 10 characters with letters and digits")

// CheckPasswordStrength enforces the minimum password rule for people choosing their own password.
func CheckPasswordStrength(field, password, login string) error {
	var letters, digits bool
	for _, r := range password {
		letters = letters || unicode.IsLetter(r)
		digits = digits || unicode.IsDigit(r)
	}
	if len([]rune(password)) < 10 || !letters || !digits {
		return types.Invalid(field, "%s", ErrWeakPassword.Error())
	}
	if strings.EqualFold(password, login) {
		return types.Invalid(field, "must differ from the login")
	}
	return nil
}

// GeneratePassword returns a random initial password (to be changed at first login).
func GeneratePassword() string {
	// 12 characters from an alphabet without look-alikes (0/O, 1/l/I), plus a guaranteed digit.
	const alphabet = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
	b := make([]byte, 12)
	_, _ = rand.Read(b)
	for i := range b {
		b[i] = alphabet[int(b[i])%len(alphabet)]
	}
	return string(b) + "7"
}
