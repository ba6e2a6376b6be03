package terraform

import (
	"bufio"
	"bytes"
	"regexp"

	"github.com/sgc-dev/sgc/emit"
)

// The addresses a module of sgc's declares, and those its moved blocks
// move from, as the lines of its own layout write them.
var (
	resourceLine = regexp.MustCompile(`^resource "(aws_[a-z0-9_]+)" "([A-Za-z0-9_-]+)" \{$`)
	fromLine     = regexp.MustCompile(`^  from = (aws_[a-z0-9_]+\.[A-Za-z0-9_-]+)$`)
)

// earlier reads what the previous build into the output directory gave
// Terraform: the addresses its state may hold (Earlier.Addresses, each
// its own value), so that moved blocks from an earlier naming of sgc are
// written only while a state could still hold those addresses. Only
// main.tf and moved.tf are read (earlierReads).
func earlier(previous []emit.File) emit.Earlier {
	out := emit.Earlier{Addresses: map[string]string{}}
	for _, f := range previous {
		sc := bufio.NewScanner(bytes.NewReader(f.Data))
		sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
		for sc.Scan() {
			line := sc.Bytes()
			if m := resourceLine.FindSubmatch(line); m != nil {
				a := string(m[1]) + "." + string(m[2])
				out.Addresses[a] = a
			} else if m := fromLine.FindSubmatch(line); m != nil {
				out.Addresses[string(m[1])] = string(m[1])
			}
		}
	}
	return out
}

// earlierReads reports whether earlier reads the file name.
func earlierReads(name string) bool { return name == MainFile || name == MovedFile }
