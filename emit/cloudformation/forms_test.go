package cloudformation

import (
	"regexp"
	"testing"
)

// TestFormsMatchTheirExpressions holds the hand-written form checks to
// the regular expressions they stand for, on every string of up to four
// characters over an alphabet that reaches each branch, and on a fuzzed
// corpus (FuzzForms).
func TestFormsMatchTheirExpressions(t *testing.T) {
	alphabet := []byte("aZ0-_.")
	var walk func(prefix []byte)
	walk = func(prefix []byte) {
		checkForms(t, string(prefix))
		if len(prefix) == 4 {
			return
		}
		for _, c := range alphabet {
			walk(append(prefix, c))
		}
	}
	walk(nil)
	for _, s := range []string{"web", "web-1", "web--x", "-web", "web-", "a1-b2-c3", "A", string(make([]byte, 256))} {
		checkForms(t, s)
	}
	long := make([]byte, 256)
	for i := range long {
		long[i] = 'a'
	}
	checkForms(t, string(long))
	checkForms(t, string(long[:255]))
}

var (
	plainNameForm = regexp.MustCompile(`^[a-z][a-z0-9]*(-[a-z][a-z0-9]*)*$`)
	logicalIDRe   = regexp.MustCompile(`^[A-Za-z0-9]{1,255}$`)
)

func checkForms(t testing.TB, s string) {
	t.Helper()
	if got, want := plainName(s), plainNameForm.MatchString(s); got != want {
		t.Errorf("plainName(%q) = %v, the expression says %v", s, got, want)
	}
	if got, want := logicalID(s), logicalIDRe.MatchString(s); got != want {
		t.Errorf("logicalID(%q) = %v, the expression says %v", s, got, want)
	}
}

func FuzzForms(f *testing.F) {
	for _, s := range []string{"", "web", "web-db", "Web1", "a-", "a--b"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) { checkForms(t, s) })
}
