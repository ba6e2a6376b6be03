//go:build unix

package fsutil

import (
	"os"
	"syscall"
)

// openNoWait opens path for reading without blocking: opening a FIFO
// otherwise waits for a writer, before the caller can see what it opened.
// O_NONBLOCK changes nothing for the reads of a regular file.
func openNoWait(path string) (*os.File, error) {
	return os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
}
