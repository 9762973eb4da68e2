package notify

import (
	"crypto/hmac"
	"crypto/sha256"
)

// hmacSum is written out here, apart from the code under test, to verify its signatures.
func hmacSum(key, msg string) []byte {
	h := hmac.New(sha256.New, []byte(key))
	h.Write([]byte(msg))
	return h.Sum(nil)
}
