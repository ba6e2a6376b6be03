package cloudformation

import (
	"strings"
	"testing"
)

// yaml11AmbiguousReference is yaml11Ambiguous without its shortcuts: the
// words looked up whatever their length, every string that starts like a
// number asked of the regular expression.
func yaml11AmbiguousReference(s string) bool {
	if s == "" || yaml11Words[s] {
		return true
	}
	switch c := s[0]; {
	case c >= '0' && c <= '9', c == '-', c == '+', c == '.':
		return !strings.Contains(s, "/") && (yaml11Special().MatchString(s) || goNumber(s))
	}
	return false
}

// TestYAML11AmbiguousShortcuts holds yaml11Ambiguous to its reference on
// every string of up to five characters over an alphabet that reaches
// numbers, dates, words and signs, and on longer samples (FuzzYAML11
// Ambiguous goes further).
func TestYAML11AmbiguousShortcuts(t *testing.T) {
	alphabet := []byte("0129-+.:eyY/_x")
	var walk func(prefix []byte)
	walk = func(prefix []byte) {
		s := string(prefix)
		if got, want := yaml11Ambiguous(s), yaml11AmbiguousReference(s); got != want {
			t.Errorf("yaml11Ambiguous(%q) = %v, the reference says %v", s, got, want)
		}
		if len(prefix) == 5 {
			return
		}
		for _, c := range alphabet {
			walk(append(prefix, c))
		}
	}
	walk(nil)
	for _, s := range []string{"2027-12-16", "2027-1-6", "1999-99-99", "-1", "+12", "-", "+", "0x1F", "1_000", "12:30:45", "1e5", "10.0.0.0/8", "2001:db8::/48", "false", "False", "tcp", "yes", "<<", "="} {
		if got, want := yaml11Ambiguous(s), yaml11AmbiguousReference(s); got != want {
			t.Errorf("yaml11Ambiguous(%q) = %v, the reference says %v", s, got, want)
		}
	}
}

func FuzzYAML11Ambiguous(f *testing.F) {
	for _, s := range []string{"2027-12-16", "-1", "1:20.5", ".inf", "yes", "0o17"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := yaml11Ambiguous(s), yaml11AmbiguousReference(s); got != want {
			t.Errorf("yaml11Ambiguous(%q) = %v, the reference says %v", s, got, want)
		}
	})
}
