package load

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// TestUnreadIsBounded: the scan for intent files left unread looks at a
// bounded number of entries below each subdirectory, so a tree of
// dependencies beside a policy is not walked on every run. Here a-deps
// holds an intent file only after 50 other files: past the bound, it is
// not seen; b-policy's is.
func TestUnreadIsBounded(t *testing.T) {
	each, total := unreadEach, unreadTotal
	t.Cleanup(func() { unreadEach, unreadTotal = each, total })
	unreadEach, unreadTotal = 20, 100
	dir := t.TempDir()
	write := func(name string) {
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("p.intent")
	for i := range 50 {
		write(fmt.Sprintf("a-deps/f%02d.js", i))
	}
	write("a-deps/zz.intent")
	write("b-policy/prod/p.intent")
	write("c-hidden/.git/x.intent")
	got, err := Unread([]string{dir})
	if want := []string{filepath.Join(dir, "b-policy")}; err != nil || !slices.Equal(got, want) {
		t.Errorf("Unread = %v, %v; want %v", got, err, want)
	}
	unreadEach = 100 // within the bound, a-deps's file is found
	if got, _ := Unread([]string{dir}); len(got) != 2 {
		t.Errorf("with room to look: %v", got)
	}
}

func TestSomeOf(t *testing.T) {
	for _, c := range []struct {
		n    int
		want string
	}{{0, ""}, {1, "d0"}, {5, "d0, d1, d2, d3, d4"}, {54, "d0, d1, d2, d3, d4 and 49 more"}} {
		var dirs []string
		for i := range c.n {
			dirs = append(dirs, fmt.Sprintf("d%d", i))
		}
		if got := someOf(dirs); got != c.want {
			t.Errorf("someOf(%d dirs) = %q, want %q", c.n, got, c.want)
		}
	}
}
