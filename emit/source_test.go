package emit

import (
	"fmt"
	"path/filepath"
	"testing"

	"github.com/sgc-dev/sgc/compiler/model"
	"github.com/sgc-dev/sgc/lang/source"
)

// TestSourceOf holds SourceOf to the fmt form it replaced, and SourceLen
// to SourceOf's length, which a split build's size bound relies on: a
// bound too small would put a stack over CloudFormation's limit.
func TestSourceOf(t *testing.T) {
	for _, name := range []string{"a.intent", "dir/sub/web.intent", "/abs/x.intent", "é/ü.intent", "noext", "dir/"} {
		for _, line := range []int{0, 1, 9, 10, 99, 100, 12345, 1 << 40, -1, -10} {
			f := &model.Flow{Range: source.Range{Start: source.Pos{Filename: name, Line: line}}}
			for _, withLine := range []bool{false, true} {
				want := filepath.Base(name)
				if withLine {
					want = fmt.Sprintf("%s:%d", want, line)
				}
				if got := SourceOf(f, withLine); got != want {
					t.Errorf("SourceOf(%q, %d, %v) = %q, want %q", name, line, withLine, got, want)
				}
				if got := SourceLen(f, withLine); got != len(want) {
					t.Errorf("SourceLen(%q, %d, %v) = %d, want %d", name, line, withLine, got, len(want))
				}
			}
		}
	}
}
