package live

import (
	"regexp"
	"strings"
	"testing"
)

// TestValidTokenIsItsExpression holds the written-out ValidToken to the
// regular expression it stands for.
func TestValidTokenIsItsExpression(t *testing.T) {
	form := regexp.MustCompile(`^[A-Za-z0-9._:-]{1,128}$`)
	cases := []string{"", "sg-0123", "a b", "x/y", strings.Repeat("a", 128), strings.Repeat("a", 129), "é"}
	for c := 0; c < 256; c++ {
		cases = append(cases, string(rune(c)), "a"+string([]byte{byte(c)}))
	}
	for _, s := range cases {
		if got, want := ValidToken(s), form.MatchString(s); got != want {
			t.Errorf("ValidToken(%q) = %v, the expression says %v", s, got, want)
		}
	}
}
