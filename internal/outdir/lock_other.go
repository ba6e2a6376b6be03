//go:build !unix

package outdir

import (
	"errors"
	"os"
	"path/filepath"
)

// lockDir takes the write lock of the output directory dir. Without flock
// it is a file created exclusively; a killed build leaves it behind, and
// the LockedError names it so the user can remove it.
func lockDir(dir string) (unlock func(), err error) {
	path := filepath.Join(dir, StateDir, lockName+".pid")
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o644)
	if errors.Is(err, os.ErrExist) {
		return nil, &LockedError{Dir: dir}
	}
	if err != nil {
		return nil, err
	}
	f.Close()
	return func() { os.Remove(path) }, nil
}
