package terraform

import (
	"regexp"
	"testing"

	"github.com/sgc-dev/sgc/emit"
)

// The lines earlier reads, as regular expressions: the definition its
// hand-written reading is held to (FuzzEarlierLines).
var (
	resourceLineRE = regexp.MustCompile(`^resource "(aws_[a-z0-9_]+)" "([A-Za-z0-9_-]+)" \{$`)
	fromLineRE     = regexp.MustCompile(`^  from = (aws_[a-z0-9_]+\.[A-Za-z0-9_-]+)$`)
)

func FuzzEarlierLines(f *testing.F) {
	for _, s := range []string{
		`resource "aws_security_group" "web" {`,
		`resource "aws_vpc_security_group_ingress_rule" "web_ingress_from_office_tcp_443" {`,
		`resource "aws_security_group" "web" { `, `resource "aws_" "web" {`, `resource "aws_x" "" {`,
		`resource "aws_Security" "web" {`, `resource "aws_x" "a" "b" {`, `resource "aws_x" "w.b" {`,
		`  from = aws_security_group.web`, `  from = aws_security_group.web.x`, `  from = aws_.web`,
		`  from = aws_x.`, `  from = aws_x`, `   from = aws_x.y`, `  from = aws_x.y-Z_9`, "",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, line string) {
		want := ""
		if m := resourceLineRE.FindStringSubmatch(line); m != nil {
			want = m[1] + "." + m[2]
		} else if m := fromLineRE.FindStringSubmatch(line); m != nil {
			want = m[1]
		}
		got, ok := resourceAddress([]byte(line))
		if !ok {
			got, _ = movedFrom([]byte(line))
		}
		if got != want {
			t.Errorf("%q: read %q, want %q", line, got, want)
		}
	})
}

// TestEarlierLines reads a module's lines as the scanner of lines did:
// the last line without its newline, a carriage return before one
// dropped.
func TestEarlierLines(t *testing.T) {
	data := "# x\r\nresource \"aws_security_group\" \"a\" {\r\n  from = aws_security_group.b\n  x = 1\nresource \"aws_security_group\" \"c\" {"
	got := earlier([]emit.File{{Path: MainFile, Data: []byte(data)}}).Addresses
	if len(got) != 3 || got["aws_security_group.a"] == "" || got["aws_security_group.b"] == "" || got["aws_security_group.c"] == "" {
		t.Errorf("addresses %v, want a, b and c", got)
	}
}
