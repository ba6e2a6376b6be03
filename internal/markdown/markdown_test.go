package markdown

import (
	"testing"
)

func TestText(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"", ""},
		{"the ALB forwards game traffic", "the ALB forwards game traffic"},
		{"tcp/8443", "tcp/8443"},
		{"443", "443"},
		{"1. first", `1\. first`},
		{"12) twelve", `12\) twelve`},
		{"10.0.0.0/8", `10\.0.0.0/8`},
		{"# heading", `\# heading`},
		{"- item", `\- item`},
		{"a - b", "a - b"},
		{"a|b", `a\|b`},
		{"<img onerror=x>", `\<img onerror=x>`},
		{"[link](javascript:x)", `\[link\](javascript:x)`},
		{"two\nlines\r\tand a tab", "two lines  and a tab"},
		{"${AWS::StackName}", `\${AWS::StackName}`},
		{"caf\u00e9 \u202eevil", "caf\u00e9  evil"},
	} {
		if got := Text(c.in); got != c.want {
			t.Errorf("Text(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

// TestTextPlainAllocatesNothing holds the shortcut: text with nothing to
// escape comes back as it is, without a copy.
func TestTextPlainAllocatesNothing(t *testing.T) {
	s := "web-production-n4 calls api-staging-n21, flow 4612 (tcp/443)"
	if n := testing.AllocsPerRun(100, func() { _ = Text(s) }); n != 0 {
		t.Errorf("Text of plain text made %v allocations, want 0", n)
	}
}

// FuzzText is the differential test of Text's shortcut: whatever it
// returns at once, escaping rune by rune returns too.
func FuzzText(f *testing.F) {
	for _, s := range []string{"", "plain words", "1. x", "12", "3)", "#", ":x", "a\\b", "\x7f", "\xff", "\u00e9", "9 lives", "-1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := Text(s), escape(s); got != want {
			t.Errorf("Text(%q) = %q, escaping rune by rune gives %q", s, got, want)
		}
	})
}
