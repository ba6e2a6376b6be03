package fsutil

import (
	"bytes"
	"fmt"
	"io"
	"os"
)

// ReadRegular reads the regular file at path, at most max bytes. Anything
// else (a FIFO that would block forever, a device such as /dev/zero that
// never ends, a directory) and anything larger is refused with an error
// saying so, before it is read. It is the one way sgc reads a file it did
// not just write: intent files, settings, mappings, exports, var files,
// earlier outputs, its own manifest and journal.
//
// The file is opened first and then examined (never the other way round,
// where a file swapped for a FIFO between the look and the open would
// block the open), and opened without waiting, so that a FIFO with no
// writer is refused rather than waited on.
func ReadRegular(path string, max int64) ([]byte, error) {
	f, err := openNoWait(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if !info.Mode().IsRegular() {
		return nil, fmt.Errorf("%s is not a regular file (%s)", path, kind(info.Mode()))
	}
	if info.Size() > max {
		return nil, fmt.Errorf("%s is %s; sgc reads at most %s", path, Size(info.Size()), Size(max))
	}
	// The file is read into one buffer of the size it has: io.ReadAll
	// doubles its way up, allocating about twice the file.
	return readLimited(f, path, max, info.Size())
}

// ReadLimited reads r to its end, refusing more than max bytes (a file
// that grows while it is read, standard input).
func ReadLimited(r io.Reader, name string, max int64) ([]byte, error) {
	return readLimited(r, name, max, 0)
}

// readLimited is ReadLimited into a buffer with room for hint bytes.
func readLimited(r io.Reader, name string, max, hint int64) ([]byte, error) {
	var b bytes.Buffer
	b.Grow(int(min(hint, max)) + bytes.MinRead)
	if _, err := b.ReadFrom(io.LimitReader(r, max+1)); err != nil {
		return nil, err
	}
	if int64(b.Len()) > max {
		return nil, fmt.Errorf("%s is larger than %s, the most sgc reads", name, Size(max))
	}
	return b.Bytes(), nil
}

func kind(m os.FileMode) string {
	switch {
	case m.IsDir():
		return "a directory"
	case m&os.ModeNamedPipe != 0:
		return "a named pipe"
	case m&os.ModeDevice != 0, m&os.ModeCharDevice != 0:
		return "a device"
	case m&os.ModeSocket != 0:
		return "a socket"
	}
	return m.Type().String()
}

// Size writes a number of bytes as the limits on what sgc reads are
// written: in MiB when whole.
func Size(n int64) string {
	if n >= 1<<20 && n%(1<<20) == 0 {
		return fmt.Sprintf("%d MiB", n>>20)
	}
	return fmt.Sprintf("%d bytes", n)
}
