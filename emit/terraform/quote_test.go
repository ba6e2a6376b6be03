package terraform

import (
	"testing"

	"github.com/hashicorp/hcl/v2/hclwrite"
	"github.com/zclconf/go-cty/cty"
)

func sameAsHCLWrite(t *testing.T, s string) {
	want := string(hclwrite.TokensForValue(cty.StringVal(s)).Bytes())
	if got := string(str(s)); got != want {
		t.Errorf("str(%q) = %s, hclwrite writes %s", s, got, want)
	}
}

// TestQuotedMatchesHCLWrite holds str's shortcut for plain strings to
// hclwrite's rendering, on the characters that matter to it and on every
// printable ASCII character.
func TestQuotedMatchesHCLWrite(t *testing.T) {
	cases := []string{"", "plain text", "a\"b", `a\b`, "${var.x}", "$${x}", "%{if}", "100%", "$5",
		"tab\there", "new\nline", "\x7f", "\x00", "caf\u00e9", "cafe\u0301", "\u2028", "sgc:source", "~`!@#^&*()"}
	for c := 0; c < 128; c++ {
		cases = append(cases, "x"+string(rune(c))+"y", string(rune(c))+"{")
	}
	for _, s := range cases {
		sameAsHCLWrite(t, s)
	}
}

func FuzzQuoted(f *testing.F) {
	f.Add("the ALB forwards game traffic")
	f.Add("${x} %{y} \"q\" \\ \t é")
	f.Fuzz(sameAsHCLWrite)
}
