package load

import (
	"strings"
	"testing"
)

func TestReadBatch(t *testing.T) {
	names := []string{"a.intent", "b c.intent"}
	for _, c := range []struct{ name, answer, err string }{
		{"both", "1111 blob 3\nabc\n2222 blob 0\n\n", ""},
		{"missing", "1111 blob 3\nabc\nrev:./b c.intent missing\n", `b c.intent at revision rev could not be read: git cat-file says "rev:./b c.intent missing"`},
		{"a tree", "1111 tree 30\n", "a.intent at revision rev is a tree, not a file"},
		{"too large", "1111 blob 65\n", "a.intent at revision rev is 65 bytes; sgc reads at most 64 bytes"},
		{"cut short", "1111 blob 3\nab", "a.intent at revision rev could not be read: unexpected EOF"},
		{"no answer", "", "a.intent at revision rev could not be read: EOF"},
		{"a bad size", "1111 blob -1\n", `a.intent at revision rev could not be read: git cat-file gives its size as "-1"`},
		{"a long line", strings.Repeat("x", 5000) + "\n", "a.intent at revision rev could not be read: a line of git's over 4096 bytes"},
	} {
		out := map[string][]byte{}
		err := readBatch(strings.NewReader(c.answer), "rev", names, 64, out)
		if c.err == "" {
			if err != nil || string(out["a.intent"]) != "abc" || string(out["b c.intent"]) != "" || len(out) != 2 {
				t.Errorf("%s: %v, %q", c.name, err, out)
			}
			continue
		}
		if err == nil || err.Error() != c.err {
			t.Errorf("%s: %v, want %s", c.name, err, c.err)
		}
	}
}

// FuzzReadBatch feeds cat-file answers of any bytes: readBatch refuses
// what is not an answer, and never keeps more than its limit a file.
func FuzzReadBatch(f *testing.F) {
	f.Add([]byte("1111 blob 3\nabc\n2222 blob 0\n\n"))
	f.Add([]byte("x missing\n"))
	f.Add([]byte("1 blob 99999999999999\n"))
	f.Fuzz(func(t *testing.T, answer []byte) {
		out := map[string][]byte{}
		if err := readBatch(strings.NewReader(string(answer)), "rev", []string{"a.intent", "b.intent"}, 64, out); err == nil && len(out) != 2 {
			t.Fatalf("no error, %d files", len(out))
		}
		for n, data := range out {
			if len(data) > 64 {
				t.Fatalf("%s: %d bytes kept, over the limit", n, len(data))
			}
		}
	})
}
