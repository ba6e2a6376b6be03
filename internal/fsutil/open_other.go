//go:build !unix

package fsutil

import "os"

// openNoWait opens path for reading; systems without FIFOs in the file
// system have nothing to wait on.
func openNoWait(path string) (*os.File, error) { return os.Open(path) }
