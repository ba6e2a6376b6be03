package awsform

import (
	"strings"
	"testing"
)

// TestDescriptionCharsSayWhatIsAccepted holds DescriptionChar and
// ReferenceDescriptionChar to the sets their words name (DescriptionChars,
// ReferenceDescriptionChars), over the Basic Multilingual Plane.
func TestDescriptionCharsSayWhatIsAccepted(t *testing.T) {
	for _, c := range []struct {
		words  string
		accept func(rune) bool
	}{
		{DescriptionChars, DescriptionChar},
		{ReferenceDescriptionChars, ReferenceDescriptionChar},
	} {
		const prefix = "a-z A-Z 0-9, space and "
		if !strings.HasPrefix(c.words, prefix) {
			t.Fatalf("%q does not start with %q", c.words, prefix)
		}
		punct := " " + strings.TrimPrefix(c.words, prefix)
		for r := rune(0); r < 0x10000; r++ {
			want := r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune(punct, r)
			if got := c.accept(r); got != want {
				t.Errorf("%q: accepts %q: %v, its words say %v", c.words, r, got, want)
			}
		}
	}
}
