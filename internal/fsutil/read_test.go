//go:build unix

package fsutil

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestReadRegularRefusesWhatNeverEnds holds every reader to regular files:
// a FIFO without a writer (which a plain open waits on forever), a device
// that never ends, a symlink to one, a directory, and a file over the
// limit are each refused at once with an error that says what they are.
func TestReadRegularRefusesWhatNeverEnds(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "x.adopt.hcl")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Skip("no FIFOs here:", err)
	}
	link := filepath.Join(dir, "zero.hcl")
	if err := os.Symlink("/dev/zero", link); err != nil {
		t.Fatal(err)
	}
	big := filepath.Join(dir, "big")
	if err := os.WriteFile(big, make([]byte, 101), 0o644); err != nil {
		t.Fatal(err)
	}
	ok := filepath.Join(dir, "ok")
	if err := os.WriteFile(ok, []byte("fine"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ path, want string }{
		{fifo, "a named pipe"},
		{"/dev/zero", "a device"},
		{link, "a device"},
		{dir, "a directory"},
		{big, "101 bytes"},
	} {
		done := make(chan error, 1)
		go func() { _, err := ReadRegular(tc.path, 100); done <- err }()
		select {
		case err := <-done:
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("ReadRegular(%s) = %v, want an error saying %q", tc.path, err, tc.want)
			}
		case <-time.After(10 * time.Second):
			t.Fatalf("ReadRegular(%s) blocked", tc.path)
		}
	}
	if data, err := ReadRegular(ok, 100); err != nil || string(data) != "fine" {
		t.Errorf("ReadRegular(ok) = %q, %v", data, err)
	}
	if _, ok, err := Head(fifo); ok || err != nil {
		t.Errorf("Head(fifo) = %v, %v; want not a regular file", ok, err)
	}
}
