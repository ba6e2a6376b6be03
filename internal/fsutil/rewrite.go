package fsutil

import (
	"os"
	"path/filepath"
)

// RewriteFile replaces the contents of the existing file at path with
// data, atomically. A symlink is followed, so the link stays a link and
// the file it points at is rewritten; the file keeps its mode and, where
// the system allows it, its owner and group.
func RewriteFile(path string, data []byte) error {
	target, err := filepath.EvalSymlinks(path)
	if err != nil {
		return err
	}
	info, err := os.Stat(target)
	if err != nil {
		return err
	}
	if !info.Mode().IsRegular() {
		return &os.PathError{Op: "rewrite", Path: path, Err: os.ErrInvalid}
	}
	return writeAtomic(target, data, info.Mode().Perm(), func(tmp *os.File) error { return keepOwner(tmp, info) })
}
