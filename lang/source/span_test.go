package source

import "testing"

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
