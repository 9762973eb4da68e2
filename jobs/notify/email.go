package notify

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/tls"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"mime"
	"net"
	"net/mail"
	"net/smtp"
	"os"
	"strings"
	"time"
)

// SMTPConfig configures e-mail (README "Configuration": SMTP_ADDR, SMTP_FROM, SMTP_USER, SMTP_PASSWORD).
type SMTPConfig struct {
	Addr     string // host:port; empty disables e-mail
	From     string // e.g. "Campus Health <noreply@example.edu.cn>"
	User     string // optional; AUTH PLAIN, only over TLS or to localhost (net/smtp refuses otherwise)
	Password string
	// TLSConfig is used for STARTTLS (ServerName defaults to the host of Addr).
	TLSConfig *tls.Config
	// RequireTLS refuses servers that do not offer STARTTLS.
	RequireTLS bool
}

// SMTPFromEnv reads the SMTP settings from the environment.
func SMTPFromEnv() SMTPConfig {
	return SMTPConfig{
		Addr: os.Getenv("SMTP_ADDR"), From: os.Getenv("SMTP_FROM"),
		User: os.Getenv("SMTP_USER"), Password: os.Getenv("SMTP_PASSWORD"),
		RequireTLS: os.Getenv("SMTP_REQUIRE_TLS") == "1" || os.Getenv("SMTP_REQUIRE_TLS") == "true",
	}
}

// Email delivers over SMTP (net/smtp), upgrading with STARTTLS when the server offers it.
type Email struct{ Config SMTPConfig }

func (Email) Name() string { return ChannelEmail }

func (e Email) Deliver(ctx context.Context, d Payload) error {
	c := e.Config
	if c.Addr == "" || c.From == "" {
		return permanent("e-mail is not configured (SMTP_ADDR, SMTP_FROM)")
	}
	if d.To == "" {
		return permanent("no e-mail address")
	}
	from, err := mail.ParseAddress(c.From)
	if err != nil {
		return permanent("SMTP_FROM: %v", err)
	}
	host, _, err := net.SplitHostPort(c.Addr)
	if err != nil {
		return permanent("SMTP_ADDR: %v", err)
	}
	var dialer net.Dialer
	conn, err := dialer.DialContext(ctx, "tcp", c.Addr)
	if err != nil {
		return err
	}
	defer conn.Close()
	if dl, ok := ctx.Deadline(); ok {
		_ = conn.SetDeadline(dl)
	} else {
		_ = conn.SetDeadline(time.Now().Add(2 * time.Minute))
	}
	// Closing the connection when ctx ends unblocks any read or write.
	stop := context.AfterFunc(ctx, func() { conn.Close() })
	defer stop()

	cl, err := smtp.NewClient(conn, host)
	if err != nil {
		return err
	}
	defer cl.Close()
	if err := cl.Hello(helloName(from.Address)); err != nil {
		return err
	}
	if ok, _ := cl.Extension("STARTTLS"); ok {
		cfg := c.TLSConfig
		if cfg == nil {
			cfg = &tls.Config{ServerName: host, MinVersion: tls.VersionTLS12}
		}
		if err := cl.StartTLS(cfg); err != nil {
			return fmt.Errorf("starttls: %w", err)
		}
	} else if c.RequireTLS {
		return fmt.Errorf("%s does not offer STARTTLS and SMTP_REQUIRE_TLS is set", c.Addr)
	}
	if c.User != "" {
		if ok, _ := cl.Extension("AUTH"); !ok {
			return permanent("%s does not offer AUTH but SMTP_USER is set", c.Addr)
		}
		if err := cl.Auth(smtp.PlainAuth("", c.User, c.Password, host)); err != nil {
			return fmt.Errorf("smtp auth: %w", err)
		}
	}
	if err := cl.Mail(from.Address); err != nil {
		return err
	}
	if err := cl.Rcpt(d.To); err != nil {
		return err
	}
	w, err := cl.Data()
	if err != nil {
		return err
	}
	if _, err := w.Write(composeEmail(from, d)); err != nil {
		return err
	}
	if err := w.Close(); err != nil {
		return err
	}
	return cl.Quit()
}

func helloName(from string) string {
	if _, domain, ok := strings.Cut(from, "@"); ok && domain != "" {
		return domain
	}
	return "localhost"
}

// composeEmail writes a UTF-8 plain-text message (RFC 5322, base64 body, RFC 2047 subject).
func composeEmail(from *mail.Address, d Payload) []byte {
	var b bytes.Buffer
	id := make([]byte, 8)
	rand.Read(id)
	h := func(k, v string) { fmt.Fprintf(&b, "%s: %s\r\n", k, v) }
	h("From", from.String())
	h("To", (&mail.Address{Address: d.To}).String())
	h("Subject", mime.BEncoding.Encode("UTF-8", d.Subject))
	h("Date", time.Now().Format(time.RFC1123Z))
	h("Message-ID", fmt.Sprintf("<delivery-%d.%s@%s>", d.DeliveryID, hex.EncodeToString(id), helloName(from.Address)))
	h("MIME-Version", "1.0")
	h("Content-Type", "text/plain; charset=UTF-8")
	h("Content-Transfer-Encoding", "base64")
	lang := d.Locale
	if lang == "" {
		lang = DefaultLocale
	}
	h("Content-Language", lang)
	b.WriteString("\r\n")
	enc := base64.StdEncoding.EncodeToString([]byte(d.Body))
	for len(enc) > 76 {
		b.WriteString(enc[:76] + "\r\n")
		enc = enc[76:]
	}
	b.WriteString(enc + "\r\n")
	return b.Bytes()
}
