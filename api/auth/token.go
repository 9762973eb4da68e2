package auth

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"strings"
)

// Token prefixes tell a session from an API token at a glance (and to secret scanners).
const (
	SessionPrefix  = "chs_"
	APITokenPrefix = "cht_"
)

// NewToken returns a random token with the given prefix and the SHA-256 stored in its place. Tokens carry
// 256 bits of entropy, so a fast hash is enough (unlike passwords).
func NewToken(prefix string) (plain string, hash []byte) {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	plain = prefix + base64.RawURLEncoding.EncodeToString(b)
	return plain, HashToken(plain)
}

// HashToken is the stored form of a token.
func HashToken(plain string) []byte {
	h := sha256.Sum256([]byte(strings.TrimSpace(plain)))
	return h[:]
}
