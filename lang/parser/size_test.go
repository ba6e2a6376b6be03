package parser

import "testing"

// TestFileTooLarge: a file over the parser's size gets FileTooLarge and no
// statements, not a misleading InvalidCharacter or a parse of 32-bit
// offsets that wrapped.
func TestFileTooLarge(t *testing.T) {
	defer func(n int) { maxSource = n }(maxSource)
	src := []byte("group web \"Web servers\"\n")
	maxSource = len(src) - 1 // one byte over
	f, diags := ParseFile("big.intent", src)
	if len(diags) != 1 || diags[0].Code != FileTooLarge || len(f.Stmts) != 0 {
		t.Fatalf("got %d statements and %v, want FileTooLarge alone", len(f.Stmts), diags)
	}
	maxSource = len(src)
	if f, diags := ParseFile("big.intent", src); len(diags) != 0 || len(f.Stmts) != 1 {
		t.Fatalf("a file of exactly the limit: got %d statements and %v", len(f.Stmts), diags)
	}
}
