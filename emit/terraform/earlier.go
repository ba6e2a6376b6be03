package terraform

import (
	"bytes"

	"github.com/sgc-dev/sgc/emit"
)

// maxMainFile bounds the main.tf an earlier build is read from: a policy
// at the compiler's limit of 1,000,000 rules writes about 600 MB. The
// default bound of earlier files (8 MB) is passed at about 8,000 flows,
// and a main.tf passed over gave no addresses: a build over an earlier
// naming's module of that size wrote none of its moved blocks, and
// Terraform would have replaced every renamed rule.
const maxMainFile = 1 << 30

// earlier reads what the previous build into the output directory gave
// Terraform: the addresses its state may hold (Earlier.Addresses, each
// its own value), so that moved blocks from an earlier naming of sgc are
// written only while a state could still hold those addresses. Only
// main.tf and moved.tf are read (earlierReads), line by line as the
// module's own layout writes them: a resource's first line and a moved
// block's from.
func earlier(previous []emit.File) emit.Earlier {
	out := emit.Earlier{Addresses: map[string]string{}}
	for _, f := range previous {
		for data := f.Data; len(data) > 0; {
			line := data
			if i := bytes.IndexByte(data, '\n'); i >= 0 {
				line, data = data[:i], data[i+1:]
			} else {
				data = nil
			}
			line = bytes.TrimSuffix(line, []byte("\r"))
			if a, ok := resourceAddress(line); ok {
				out.Addresses[a] = a
			} else if a, ok := movedFrom(line); ok {
				out.Addresses[a] = a
			}
		}
	}
	return out
}

// resourceAddress reads `resource "TYPE" "NAME" {`, TYPE an aws_ type,
// as TYPE.NAME.
func resourceAddress(line []byte) (string, bool) {
	rest, ok := bytes.CutPrefix(line, []byte(`resource "`))
	if !ok {
		return "", false
	}
	typ, rest, ok := bytes.Cut(rest, []byte(`" "`))
	if !ok || !awsType(typ) {
		return "", false
	}
	name, ok := bytes.CutSuffix(rest, []byte(`" {`))
	if !ok || !resourceName(name) {
		return "", false
	}
	return string(typ) + "." + string(name), true
}

// movedFrom reads a moved block's `  from = TYPE.NAME`.
func movedFrom(line []byte) (string, bool) {
	addr, ok := bytes.CutPrefix(line, []byte("  from = "))
	if !ok {
		return "", false
	}
	typ, name, ok := bytes.Cut(addr, []byte("."))
	if !ok || !awsType(typ) || !resourceName(name) {
		return "", false
	}
	return string(addr), true
}

// awsType reports whether b is aws_ and one or more of [a-z0-9_].
func awsType(b []byte) bool {
	rest, ok := bytes.CutPrefix(b, []byte("aws_"))
	if !ok || len(rest) == 0 {
		return false
	}
	for _, c := range rest {
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_') {
			return false
		}
	}
	return true
}

// resourceName reports whether b is one or more of [A-Za-z0-9_-].
func resourceName(b []byte) bool {
	if len(b) == 0 {
		return false
	}
	for _, c := range b {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}

// namingVersion is the version of the module's addresses
// (emit.Target.Naming). The earlier naming, 1, named a rule after the
// name its peer was declared by and made names unique by other joins;
// moves computes its addresses. Raise it with any change of addresses,
// and teach moves the addresses of the one before.
const namingVersion = 2

// earlierReads reports whether earlier reads the file name: moved.tf,
// whose moves from an earlier naming are kept while a state may hold
// them, and main.tf when the build that wrote it was of another naming
// than this one. main.tf of this naming declares no address of an older
// one, and reading it cost a 50k-flow rebuild half again its time: its
// 52 MB, and every rule's address of the earlier naming to look up.
func earlierReads(name string, sameNaming bool) bool {
	return name == MovedFile || name == MainFile && !sameNaming
}
