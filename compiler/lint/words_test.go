package lint

import (
	"regexp"
	"slices"
	"testing"
)

var wordRE = regexp.MustCompile(`[A-Za-z0-9]+(?:[-'][A-Za-z0-9]+)*`)

func samePurposeWords(t *testing.T, s string) {
	want, got := wordRE.FindAllString(s, -1), slices.Collect(eachWord(s))
	if !slices.Equal(got, want) {
		t.Errorf("eachWord(%q) gives %q, the pattern gives %q", s, got, want)
	}
}

// TestPurposeWords holds eachWord to the pattern it implements.
func TestPurposeWords(t *testing.T) {
	for _, s := range []string{"", "TODO", "the ALB forwards game traffic", "don't -x- a--b a-'b b'' 'q' x-", "é-a a-é 9-9 _a_", "a-b-c'd e"} {
		samePurposeWords(t, s)
	}
}

func FuzzPurposeWords(f *testing.F) {
	f.Add("the node's health-checks, every 10 s")
	f.Fuzz(samePurposeWords)
}
