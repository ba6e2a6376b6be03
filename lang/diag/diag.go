// Package diag is sgc's one diagnostic type. Parse errors, check errors and
// lint findings are all a Diagnostic: a stable code, a severity, the exact
// span of the offending construct, a one-line summary, and optional detail,
// suggestion and related spans. Stages return a List beside their result and
// keep going; the CLI sorts and prints the list once.
package diag

import (
	"fmt"
	"sort"
	"strings"

	"github.com/sgc-dev/sgc/lang/source"
)

// Severity says how much a diagnostic matters. The zero value is invalid so
// that a diagnostic built without one is caught (as hcl.DiagInvalid does).
type Severity int

// The severities, most severe first.
const (
	Invalid Severity = iota
	Error            // the policy cannot be built: AWS would refuse it, or it is malformed
	Warning          // the policy builds, but someone should look
	Info             // worth knowing; never fails anything by default
)

var severityNames = [...]string{"invalid", "error", "warning", "info"}

// String returns the lower-case name used in output: "error", "warning", "info".
func (s Severity) String() string {
	if s < 0 || int(s) >= len(severityNames) {
		return "invalid"
	}
	return severityNames[s]
}

// ParseSeverity is the inverse of String.
func ParseSeverity(s string) (Severity, bool) {
	for i, n := range severityNames {
		if i > 0 && n == s {
			return Severity(i), true
		}
	}
	return Invalid, false
}

// MarshalText encodes the severity by name, for JSON output.
func (s Severity) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// Related is a secondary location that explains a diagnostic, such as the
// first declaration of a duplicated name.
type Related struct {
	Range   source.Range
	Message string
}

// Diagnostic is one finding about a policy.
type Diagnostic struct {
	Code       string       // stable identifier: "UnknownName", or a lint id like "SG101"
	Severity   Severity     // how much it matters
	Summary    string       // one line, lower case, no final period
	Detail     string       // optional full sentences that explain the problem
	Suggestion string       // optional: what to write instead ("Did you mean \"web\"?")
	Subject    source.Range // exactly the construct that is wrong
	Related    []Related    // other places that take part
}

// Error formats the diagnostic on one line, the way go/scanner does.
func (d *Diagnostic) Error() string {
	return fmt.Sprintf("%s: %s: %s [%s]", d.Subject, d.Severity, d.Summary, d.Code)
}

// List is a list of diagnostics. The zero value is an empty list ready to use.
type List []*Diagnostic

// Add appends d and returns it, so callers can attach detail in one statement.
func (l *List) Add(d *Diagnostic) *Diagnostic {
	*l = append(*l, d)
	return d
}

// Errorf appends an error at r and returns it.
func (l *List) Errorf(r source.Range, code, format string, args ...any) *Diagnostic {
	return l.Add(&Diagnostic{Code: code, Severity: Error, Subject: r, Summary: fmt.Sprintf(format, args...)})
}

// Warnf appends a warning at r and returns it.
func (l *List) Warnf(r source.Range, code, format string, args ...any) *Diagnostic {
	return l.Add(&Diagnostic{Code: code, Severity: Warning, Subject: r, Summary: fmt.Sprintf(format, args...)})
}

// Infof appends a note at r and returns it.
func (l *List) Infof(r source.Range, code, format string, args ...any) *Diagnostic {
	return l.Add(&Diagnostic{Code: code, Severity: Info, Subject: r, Summary: fmt.Sprintf(format, args...)})
}

// WithDetail sets the detail text and returns d.
func (d *Diagnostic) WithDetail(format string, args ...any) *Diagnostic {
	d.Detail = fmt.Sprintf(format, args...)
	return d
}

// WithSuggestion sets the suggestion and returns d.
func (d *Diagnostic) WithSuggestion(format string, args ...any) *Diagnostic {
	d.Suggestion = fmt.Sprintf(format, args...)
	return d
}

// WithRelated adds a related location and returns d.
func (d *Diagnostic) WithRelated(r source.Range, format string, args ...any) *Diagnostic {
	d.Related = append(d.Related, Related{Range: r, Message: fmt.Sprintf(format, args...)})
	return d
}

// HasErrors reports whether any diagnostic in the list is an error.
func (l List) HasErrors() bool { return l.Count(Error) > 0 }

// CountCode returns how many diagnostics of the list have the code.
func (l List) CountCode(code string) int {
	n := 0
	for _, d := range l {
		if d.Code == code {
			n++
		}
	}
	return n
}

// Count returns how many diagnostics have severity s.
func (l List) Count(s Severity) int {
	n := 0
	for _, d := range l {
		if d.Severity == s {
			n++
		}
	}
	return n
}

// Sort orders the list by position, then severity, code and summary, and
// removes exact repeats. Output is always sorted, so it never depends on
// the order in which files or checks happened to run.
func (l *List) Sort() {
	s := *l
	sort.SliceStable(s, func(i, j int) bool { return less(s[i], s[j]) })
	out := s[:0]
	for i, d := range s {
		if i > 0 && same(s[i-1], d) {
			continue
		}
		out = append(out, d)
	}
	*l = out
}

func less(a, b *Diagnostic) bool {
	if a.Subject != b.Subject {
		return a.Subject.Before(b.Subject)
	}
	if a.Severity != b.Severity {
		return a.Severity < b.Severity
	}
	if a.Code != b.Code {
		return a.Code < b.Code
	}
	return a.Summary < b.Summary
}

func same(a, b *Diagnostic) bool {
	return a.Subject == b.Subject && a.Code == b.Code && a.Summary == b.Summary && a.Severity == b.Severity
}

// Err returns the list as an error when it holds errors, and nil otherwise.
func (l List) Err() error {
	if !l.HasErrors() {
		return nil
	}
	return l
}

// Error implements error: the first error and how many more there are.
func (l List) Error() string {
	var errs []*Diagnostic
	for _, d := range l {
		if d.Severity == Error {
			errs = append(errs, d)
		}
	}
	switch len(errs) {
	case 0:
		return "no errors"
	case 1:
		return errs[0].Error()
	}
	return fmt.Sprintf("%s (and %d more errors)", errs[0].Error(), len(errs)-1)
}

// Summary returns "2 errors, 1 warning" style counts for a closing line.
func (l List) Summary() string {
	var parts []string
	for _, s := range []Severity{Error, Warning, Info} {
		if n := l.Count(s); n > 0 {
			name := s.String()
			if n > 1 {
				name += "s"
			}
			parts = append(parts, fmt.Sprintf("%d %s", n, name))
		}
	}
	return strings.Join(parts, ", ")
}
