package notify

import (
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"
	"text/template"
)

// Locales are the languages templates exist in; the first is the default.
var Locales = []string{"zh-CN", "en"}

// DefaultLocale is the language of users who chose none, and of robots.
const DefaultLocale = "zh-CN"

//go:embed templates
var templateFS embed.FS

// ErrTemplate is wrapped by every error about a template: unknown, or data it cannot render.
var ErrTemplate = errors.New("notification template")

// Templates are the message templates, one file per (locale, name): templates/<locale>/<name>.tmpl,
// defining "subject" and "body". Missing data is an error, never "<no value>".
type Templates struct {
	byLocale map[string]map[string]*template.Template
}

// LoadTemplates parses the embedded templates.
func LoadTemplates() (*Templates, error) {
	sub, err := fs.Sub(templateFS, "templates")
	if err != nil {
		return nil, err
	}
	return ParseTemplates(sub)
}

// ParseTemplates parses templates from a tree of <locale>/<name>.tmpl files. Every name must exist in
// every locale.
func ParseTemplates(fsys fs.FS) (*Templates, error) {
	t := &Templates{byLocale: map[string]map[string]*template.Template{}}
	for _, loc := range Locales {
		files, err := fs.Glob(fsys, loc+"/*.tmpl")
		if err != nil {
			return nil, err
		}
		t.byLocale[loc] = map[string]*template.Template{}
		for _, f := range files {
			name := strings.TrimSuffix(path.Base(f), ".tmpl")
			tm, err := template.New(name).Option("missingkey=error").ParseFS(fsys, f)
			if err != nil {
				return nil, fmt.Errorf("%w %s/%s: %v", ErrTemplate, loc, name, err)
			}
			if tm.Lookup("subject") == nil || tm.Lookup("body") == nil {
				return nil, fmt.Errorf("%w %s/%s: needs a \"subject\" and a \"body\"", ErrTemplate, loc, name)
			}
			t.byLocale[loc][name] = tm
		}
	}
	for _, name := range t.Names() {
		for _, loc := range Locales {
			if t.byLocale[loc][name] == nil {
				return nil, fmt.Errorf("%w %q has no %s version", ErrTemplate, name, loc)
			}
		}
	}
	return t, nil
}

// Names lists the templates.
func (t *Templates) Names() []string {
	var out []string
	for _, byName := range t.byLocale {
		for n := range byName {
			if !slices.Contains(out, n) {
				out = append(out, n)
			}
		}
	}
	slices.Sort(out)
	return out
}

// Rendered is a message in one language.
type Rendered struct {
	Subject, Body string
}

// Render renders template name in locale (the default locale when unknown).
func (t *Templates) Render(name, locale string, data map[string]any) (Rendered, error) {
	byName, ok := t.byLocale[locale]
	if !ok {
		byName = t.byLocale[DefaultLocale]
	}
	tm := byName[name]
	if tm == nil {
		return Rendered{}, fmt.Errorf("%w %q does not exist (known: %s)", ErrTemplate, name, strings.Join(t.Names(), ", "))
	}
	var subj, body strings.Builder
	if err := tm.ExecuteTemplate(&subj, "subject", data); err != nil {
		return Rendered{}, fmt.Errorf("%w %q (%s): %v", ErrTemplate, name, locale, err)
	}
	if err := tm.ExecuteTemplate(&body, "body", data); err != nil {
		return Rendered{}, fmt.Errorf("%w %q (%s): %v", ErrTemplate, name, locale, err)
	}
	return Rendered{Subject: strings.TrimSpace(subj.String()), Body: strings.TrimSpace(body.String())}, nil
}

// RenderAll renders name in every locale, so that a message that cannot be rendered in one language is
// refused whoever it goes to.
func (t *Templates) RenderAll(name string, data map[string]any) (map[string]Rendered, error) {
	out := map[string]Rendered{}
	for _, loc := range Locales {
		r, err := t.Render(name, loc, data)
		if err != nil {
			return nil, err
		}
		out[loc] = r
	}
	return out, nil
}
