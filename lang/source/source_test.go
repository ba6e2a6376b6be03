package source

import (
	"strings"
	"testing"
)

// TestSpanRoundTrip holds Span to the Range it was made of, in the same
// file, and the zero Span to the zero Range (a flow without an expiry
// date has no UntilRange).
func TestSpanRoundTrip(t *testing.T) {
	for _, r := range []Range{
		{Start: Pos{"a.intent", 0, 1, 1}, End: Pos{"a.intent", 3, 1, 4}},
		{Start: Pos{"dir/b.intent", 1 << 30, 40000, 77}, End: Pos{"dir/b.intent", 1<<31 - 1, 40002, 3}},
		{},
	} {
		if got := SpanOf(r).In(r.Start.Filename); got != r {
			t.Errorf("SpanOf(%+v).In = %+v", r, got)
		}
	}
	if got := (Span{}).In("a.intent"); got != (Range{}) {
		t.Errorf("the zero Span is %+v, want the zero Range", got)
	}
}

// TestLine holds File.Line to the lines strings.Split finds, with and
// without a final newline and with CRLF endings.
func TestLine(t *testing.T) {
	for _, src := range []string{"", "a", "a\n", "a\nbb\n\nccc", "x\r\ny\r\n", "\n\n"} {
		f := &File{Name: "t.intent", Src: []byte(src)}
		want := strings.Split(src, "\n")
		for n := 0; n <= len(want)+1; n++ {
			w := ""
			if n >= 1 && n <= len(want) {
				w = strings.TrimSuffix(want[n-1], "\r")
			}
			if got := f.Line(n); got != w {
				t.Errorf("%q: Line(%d) = %q, want %q", src, n, got, w)
			}
		}
	}
}
